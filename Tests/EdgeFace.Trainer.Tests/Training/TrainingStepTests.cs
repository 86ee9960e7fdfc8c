using EdgeFace.Runtime;
using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Losses;
using EdgeFace.Trainer.Optimization;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Tests.Training;

/// <summary>The optimizer leaves gradients zero, so a training step skips its own clearing pass after a completed
/// step; these check it still clears after one that failed part-way.</summary>
public sealed class TrainingStepTests
{
    private const int Batch = 8;

    private static TrainingStep NewStep()
    {
        var rng = new Rng(5);
        var network = ArchitectureFactory.Create("signet-small", 16, rng, (1, 80, 100));
        var loss = new MarginSoftmaxLoss(network.Parameters, rng, 16, 4, MarginKind.ArcFace);
        network.Parameters.Seal();
        return new TrainingStep(network, loss, new SgdOptimizer(network.Parameters.Count), new Rng(1));
    }

    /// <summary>Random images, or every pixel <paramref name="fill"/>.</summary>
    private static float[] Images(float? fill = null)
    {
        var rng = new Rng(9);
        var images = new float[Batch * 80 * 100];
        for (var i = 0; i < images.Length; i++) images[i] = fill ?? rng.Normal();
        return images;
    }

    private static readonly int[] Labels = [0, 0, 1, 1, 2, 2, 3, 3];

    [Fact]
    public void A_completed_step_leaves_the_gradients_zero()
    {
        var step = NewStep();
        step.Run(Images(), Labels, 0.01f);
        Assert.All(step.Network.Parameters.Grads, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void A_step_after_a_failed_one_matches_a_step_on_fresh_gradients()
    {
        var fresh = NewStep();
        fresh.Run(Images(), Labels, 0.01f);

        var recovered = NewStep();
        // Infinite pixels make the loss non-finite; the loss has already written NaN into its class weights' gradients.
        Assert.Throws<EdgeFaceException>(() => recovered.Run(Images(float.PositiveInfinity), Labels, 0.01f));
        recovered.Run(Images(), Labels, 0.01f);
        Assert.Equal(fresh.Network.Parameters.Values, recovered.Network.Parameters.Values);
    }
}
