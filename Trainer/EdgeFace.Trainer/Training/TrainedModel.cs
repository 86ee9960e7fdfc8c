using System.Runtime.InteropServices;
using EdgeFace.Runtime;
using EdgeFace.Trainer.Checkpoints;

namespace EdgeFace.Trainer.Training;

/// <summary>Loads a run's last checkpoint into freshly built networks for export and evaluation (no optimizer).</summary>
public static class TrainedModel
{
    public static (RunModel Model, Checkpoint Checkpoint) Load(RunFolder folder)
    {
        var config = TrainConfig.Parse(File.ReadAllText(folder.Config), folder.Config) with { Output = folder.Path };
        var checkpoint = CheckpointFile.Load(folder.Checkpoint);
        // The head's size gives the class count: build once with one class to learn the backbone's size.
        var probe = RunModel.Create(config, 1);
        var backbone = probe.Network.BackboneParameterCount;
        var perClass = config.ResolvedEmbeddingSize + (config.Loss.Type == "softmax" ? 1 : 0);
        var headLength = checkpoint.Parameters.Length - backbone;
        var classes = config.Loss.Type is "triplet" or "contrastive" ? 1 : headLength / perClass;
        var model = classes == 1 ? probe : RunModel.Create(config, classes);
        var p = model.Network.Parameters;
        if (checkpoint.Parameters.Length != p.Count)
            throw new EdgeFaceException($"{folder.Checkpoint}: holds {checkpoint.Parameters.Length} parameters, config.json builds {p.Count}");
        checkpoint.Parameters.Span.CopyTo(p.Values);
        if (!checkpoint.Blobs.TryGetValue("model.buffers", out var buffers) || buffers.Length != p.Buffers.Length * 4)
            throw new EdgeFaceException($"{folder.Checkpoint}: running statistics missing or the wrong size");
        MemoryMarshal.Cast<byte, float>(buffers).CopyTo(p.Buffers);
        return (model, checkpoint);
    }
}
