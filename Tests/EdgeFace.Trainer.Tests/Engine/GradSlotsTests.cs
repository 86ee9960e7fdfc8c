using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Layers;

namespace EdgeFace.Trainer.Tests.Engine;

/// <summary>
/// Activation gradients are not zeroed when allocated: the first backward pass that writes one overwrites it and
/// later ones add (<see cref="GradSlots"/>). A fresh graph's arena is zeroed memory, as every slot used to be; a
/// reused graph's slots still hold the previous step's gradients. Both must give the same gradients, bit for bit.
/// </summary>
public sealed class GradSlotsTests
{
    /// <summary>y = x + x: one Add whose two inputs are the same tensor (the second write must add to the first).</summary>
    private sealed class Twice : Layer
    {
        private readonly Add _add = new();
        public override Tensor Forward(Graph g, Tensor x) => _add.Forward(g, x, x);
    }

    [Fact]
    public void A_reused_graph_gives_the_gradients_of_a_fresh_one()
    {
        var store = new ParameterStore();
        var rng = new Rng(5);
        // Every op that claims its input gradient (batch norm, alone and with a fused ReLU; ReLU, add, linear,
        // convolution, max pool) and one that zeroes it lazily (PReLU), with tensors read by one and by two later ops.
        var net = new Sequential(
            new Conv2d(store, rng, "c1", 3, 8, 3, 1, 1), new BatchNorm(store, "bn1", 8), new ReLU(inPlace: true),
            new Residual(new Sequential(new Conv2d(store, rng, "c2", 8, 8, 3, 1, 1), new BatchNorm(store, "bn2", 8, relu: true)),
                reluAfter: true),
            new Twice(), new MaxPool2d(2, 2), new PReLU(store, "pr", 8), new ReLU(),
            new Flatten(), new Linear(store, rng, "fc", 8 * 4 * 4, 6), new BatchNorm(store, "bn3", 6));
        store.Seal();
        var target = GradientChecker.RandomInput(2 * 3 * 8 * 8, 11, 1f, 0f);
        var other = GradientChecker.RandomInput(2 * 3 * 8 * 8, 12, 3f, 0.5f);
        var buffers = store.Buffers.ToArray();

        float[] Step(Graph g, float[] input)
        {
            buffers.CopyTo(store.Buffers, 0);
            g.Reset();
            store.ZeroGrad();
            var x = g.Input(input, 2, 3, 8, 8, withGrad: true);
            GradientChecker.Project(g, net.Forward(g, x));
            g.Backward();
            return [.. x.Grad, .. store.Grads];
        }

        var fresh = Step(new Graph(store, training: true, needsGrad: true, new Rng(7)), target);
        var reused = new Graph(store, training: true, needsGrad: true, new Rng(7));
        var stale = Step(reused, other);
        Assert.NotEqual(fresh, stale);
        Assert.Equal(fresh, Step(reused, target));
        Assert.Contains(fresh, v => v != 0);
    }
}
