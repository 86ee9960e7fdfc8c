using EdgeFace.Runtime;

namespace EdgeFace.Trainer.Training;

/// <summary>The files of one training run, all inside its output folder.</summary>
public sealed class RunFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string Config => File("config.json");
    public string Checkpoint => File("checkpoint.efck");
    public string History => File("history.csv");
    public string Curves => File("curves.png");
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Opens an existing run, or says what is missing.</summary>
    public static RunFolder Open(string path)
    {
        var run = new RunFolder(path);
        if (!Directory.Exists(run.Path)) throw new EdgeFaceException($"run folder not found: {run.Path}");
        if (!System.IO.File.Exists(run.Config)) throw new EdgeFaceException($"{run.Path} is not a training run (no config.json)");
        if (!System.IO.File.Exists(run.Checkpoint)) throw new EdgeFaceException($"{run.Path} has no checkpoint yet (checkpoint.efck)");
        return run;
    }

    /// <summary>Writes text atomically, turning a full disk into one clear line.</summary>
    public static void WriteText(string path, string text)
    {
        var tmp = path + ".tmp";
        try
        {
            System.IO.File.WriteAllText(tmp, text);
            System.IO.File.Move(tmp, path, overwrite: true);
        }
        catch (IOException e) when (Runtime.Cli.CliHost.IsDiskFull(e))
        {
            try { System.IO.File.Delete(tmp); } catch (IOException) { }
            throw new EdgeFaceException($"disk full while writing {path}", e);
        }
    }
}
