using EdgeFace.Runtime.Models;
using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Losses;

namespace EdgeFace.Trainer.Training;

/// <summary>
/// The network and loss head a config describes, built deterministically from its seed, so training, resume,
/// export and eval all rebuild the same parameter layout before loading values into it.
/// </summary>
public sealed class RunModel
{
    public required TrainConfig Config { get; init; }
    public required Network Network { get; init; }
    public required EmbeddingLoss Loss { get; init; }

    public static RunModel Create(TrainConfig config, int classes)
    {
        var rng = new Rng(config.Seed);
        var embedding = config.ResolvedEmbeddingSize;
        var network = ArchitectureFactory.Create(config.Architecture, embedding, rng, config.ResolvedInput);
        var l = config.Loss;
        EmbeddingLoss loss = l.Type switch
        {
            "arcface" => new MarginSoftmaxLoss(network.Parameters, rng, embedding, classes, MarginKind.ArcFace, l.Scale ?? 64f, l.Margin ?? 0.5f, l.EasyMargin),
            "cosface" => new MarginSoftmaxLoss(network.Parameters, rng, embedding, classes, MarginKind.CosFace, l.Scale ?? 64f, l.Margin ?? 0.35f),
            "softmax" => new SoftmaxLoss(network.Parameters, rng, embedding, classes),
            "triplet" => new TripletLoss(l.Margin ?? 0.2f, l.Mining == "semi-hard" ? TripletMining.SemiHard : TripletMining.BatchHard, l.ForgeryMargin),
            _ => new ContrastiveLoss(l.Margin ?? 1f),
        };
        network.Parameters.Seal();
        return new RunModel { Config = config, Network = network, Loss = loss };
    }

    /// <summary>How images are fed: what the data loader produces and what the manifest tells the runtime.</summary>
    public static ModelInput InputOf(TrainConfig config)
    {
        var (c, h, w) = config.ResolvedInput;
        return new ModelInput
        {
            Name = Export.OnnxExporter.InputName, Channels = c, Height = h, Width = w,
            // Signatures arrive as the cleaner's 0..1 canvas, faces as 0..255 pixels.
            ColorOrder = c == 1 ? "GRAY" : "RGB", Scale = config.Data.Kind == "signatures" ? 1f : 1f / 255f,
            Mean = Enumerable.Repeat(config.Input.Mean, c).ToArray(), Std = Enumerable.Repeat(config.Input.Std, c).ToArray(),
            Resize = ResizeMode.Stretch,
        };
    }
}
