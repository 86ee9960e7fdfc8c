using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Losses;

namespace EdgeFace.Trainer.Tests.Engine;

/// <summary>
/// The own-forgery triplet terms: a skilled forgery that sits closer to its writer's genuine signatures than they
/// sit to each other is pushed away. Semi-hard mining skips such a negative (it only takes negatives farther than
/// the positive) and, with every other writer already beyond the margin, finds nothing to learn.
/// </summary>
public class TripletForgeryTermTests
{
    // 3-d embeddings (L2-normalised by the loss): writer 0 near +x, writer 1 near +y; writer 0's forgery lies between
    // and just above (+z) writer 0's two signatures, nearer to each than they are to each other; writer 1's is at −x.
    private static readonly float[] Embeddings = [1f, 0f, 0f, 1f, 0.1f, 0f, 0f, 1f, 0f, 0f, 1f, 0.05f, 1f, 0.03f, 0.03f, -1f, 0f, 0f];
    private static readonly int[] Labels = [0, 0, 1, 1, -1, -2]; // last two: forgeries of writers 0 and 1

    private static (float Loss, float[] Grad) Run(TripletLoss loss)
    {
        var g = new Graph(new ParameterStore(), training: true, needsGrad: true, new Rng(1));
        var x = g.Input(Embeddings, Labels.Length, 3, 1, 1, withGrad: true);
        var value = loss.Forward(g, x, Labels);
        g.Backward();
        return (value, x.Grad.ToArray());
    }

    [Fact]
    public void Own_forgery_near_the_writer_is_pushed_away()
    {
        var (plain, plainGrad) = Run(new TripletLoss(0.2f, TripletMining.SemiHard));
        Assert.Equal(0f, plain);
        Assert.All(plainGrad, v => Assert.Equal(0f, v));
        var (withForgeries, grad) = Run(new TripletLoss(0.2f, TripletMining.SemiHard, forgeryMargin: 0.2f));
        Assert.True(withForgeries > 0, $"loss {withForgeries} with own-forgery terms");
        // Descent (−grad) lifts writer 0's forgery off the plane (z = 0) of writer 0's signatures.
        Assert.True(grad[4 * 3 + 2] < 0, $"forgery gradient z {grad[14]} should be negative");
        // Writer 1's far forgery contributes nothing.
        Assert.All(grad.AsSpan(5 * 3, 3).ToArray(), v => Assert.Equal(0f, v));
    }
}
