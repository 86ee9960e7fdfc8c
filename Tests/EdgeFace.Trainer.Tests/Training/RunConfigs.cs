using EdgeFace.TestSupport;

namespace EdgeFace.Trainer.Tests.Training;

/// <summary>Small ORL training configs written into a temp folder.</summary>
internal static class RunConfigs
{
    public static string Orl => Shared.Data("faces", "orl");

    /// <summary>Writes a config file named <paramref name="name"/> into <paramref name="dir"/>.</summary>
    public static string Write(TempDir dir, string name, string body)
    {
        var path = dir.File(name);
        File.WriteAllText(path, body);
        return path;
    }

    /// <summary>MobileFaceNet on 40×40 grey ORL crops: s1–s30 train, s31–s40 held out.</summary>
    public static string OrlArcFace(int steps, string output, int threads = 2) => $$"""
    {
      "architecture": "mobilefacenet",
      "embedding_size": 64,
      "input": { "channels": 1, "height": 40, "width": 40 },
      "loss": { "type": "arcface", "scale": 16, "margin": 0.2 },
      "data": { "root": "{{Orl}}", "train": "s1-s30", "validation": "s31-s40" },
      "batch": { "p": 6, "k": 4 },
      "augmentation": "faces",
      "optimizer": { "type": "sgd", "learning_rate": 0.05 },
      "schedule": { "warmup_steps": 10 },
      "steps": {{steps}}, "seed": 1, "threads": {{threads}}, "checkpoint_every": 50,
      "output": "{{output}}"
    }
    """;

    /// <summary>A tiny triplet run with a constant rate, so a run cut short and resumed can be compared step for step.</summary>
    public static string TinyTriplet(int steps, string output) => $$"""
    {
      "architecture": "mobilefacenet",
      "embedding_size": 32,
      "input": { "channels": 1, "height": 24, "width": 24 },
      "loss": { "type": "triplet", "margin": 0.2, "mining": "semi-hard" },
      "data": { "root": "{{Orl}}", "train": "s1-s8" },
      "batch": { "p": 4, "k": 3 },
      "augmentation": "faces",
      "optimizer": { "type": "adamw", "learning_rate": 0.001 },
      "schedule": { "warmup_steps": 1, "decay": "constant" },
      "steps": {{steps}}, "seed": 3, "threads": 1, "checkpoint_every": 2,
      "output": "{{output}}"
    }
    """;
}
