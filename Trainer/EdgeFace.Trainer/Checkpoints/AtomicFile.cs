using System.Runtime.InteropServices;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Trainer.Checkpoints;

/// <summary>
/// Replaces a file all-or-nothing: the content goes to <c>PATH.tmp</c> in the same folder, is flushed to the
/// disk, and only then renamed over <c>PATH</c> (on Linux the folder is synced too, so the rename itself survives
/// a power cut). On any failure the temp file is removed and whatever was at <c>PATH</c> stays as it was.
/// Used for checkpoints and exported models.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> atomically.</summary>
    /// <param name="what">What the file is ("checkpoint", "ONNX model"), for messages.</param>
    /// <exception cref="EdgeFaceException">"disk full while writing PATH…" or "cannot write WHAT PATH: …"; the previous file is intact.</exception>
    public static void Write(string path, Action<Stream> write, string what = "file") => Write(path, write, what, OpenTemp);

    /// <summary>As <see cref="Write(string, Action{Stream}, string)"/> with the temp stream supplied by the caller (tests inject failures).</summary>
    internal static void Write(string path, Action<Stream> write, string what, Func<string, Stream> openTemp)
    {
        var full = Path.GetFullPath(path);
        var tmp = full + ".tmp";
        try
        {
            using (var stream = openTemp(tmp))
            {
                write(stream);
                if (stream is FileStream file) file.Flush(flushToDisk: true); else stream.Flush();
            }
            File.Move(tmp, full, overwrite: true);
            SyncFolder(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            if (e is IOException io && CliHost.IsDiskFull(io))
                throw new EdgeFaceException($"disk full while writing {full}; the previous {what} there is unchanged", e);
            throw new EdgeFaceException($"cannot write {what} {full}: {e.Message}", e);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    private static Stream OpenTemp(string tmp) =>
        new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Best effort: fsync the folder so the rename is durable. Windows has no equivalent and does not need it.</summary>
    private static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = Open(folder, 0 /* O_RDONLY */);
        if (fd < 0) return;
        _ = FSync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
