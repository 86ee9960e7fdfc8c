using EdgeFace.Runtime;
using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Losses;
using EdgeFace.Trainer.Optimization;

namespace EdgeFace.Trainer.Training;

/// <summary>
/// One optimisation step, the same for training runs and the benchmark: reset the arena, zero the gradients (unless
/// the last step's optimizer update left them zero), forward in train mode, fused loss forward/backward, tape
/// backward, clip, optimizer update.
/// Owns its graph (managed memory only).
/// </summary>
public sealed class TrainingStep(Network network, EmbeddingLoss loss, Optimizer optimizer, Rng dropoutRng)
{
    private readonly Graph _graph = new(network.Parameters, training: true, needsGrad: true, dropoutRng);
    private readonly GradientClipping _clipping = new();
    /// <summary>True after a completed step: the optimizer zeroes the gradients it consumes. A step that failed
    /// part-way leaves it false, so the next one clears what that step accumulated.</summary>
    private bool _gradsZero;

    public Network Network { get; } = network;
    public EmbeddingLoss Loss { get; } = loss;
    public Optimizer Optimizer { get; } = optimizer;
    /// <summary>Global gradient norm of the last step, before clipping.</summary>
    public float LastGradNorm { get; private set; }
    public long ArenaFloats => _graph.Arena.Used;
    /// <summary>When set, each step's per-op times are added to it (benchmarks only).</summary>
    public StepProfile? Profile { get => _graph.Profile; set => _graph.Profile = value; }

    /// <summary>Runs one step on a batch [N, C, H, W] and returns the loss.</summary>
    public float Run(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, float learningRate, float clipNorm = 0f)
    {
        var p = Network.Parameters;
        _graph.Reset();
        if (!_gradsZero) p.ZeroGrad();
        _gradsZero = false;
        var n = labels.Length;
        var x = _graph.Input(images, n, Network.InputChannels, Network.InputHeight, Network.InputWidth);
        var embedding = Network.Embed(_graph, x);
        var value = Loss.Forward(_graph, embedding, labels);
        if (!float.IsFinite(value)) throw new EdgeFaceException($"loss became {value} at this step (training diverged); lower the learning rate or enable gradient clipping");
        _graph.Backward();
        LastGradNorm = _clipping.ClipByNorm(p.Grads, clipNorm);
        Optimizer.Step(p, learningRate);
        _gradsZero = true;
        return value;
    }
}
