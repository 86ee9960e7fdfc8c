using EdgeFace.Runtime;
using Microsoft.Data.Sqlite;

namespace EdgeFace.Enrollment.Store;

/// <summary>Turns SQLite failures into one-line <see cref="EdgeFaceException"/>s that say what the user can do.</summary>
internal static class SqliteErrors
{
    private const int Busy = 5, Locked = 6, ReadOnly = 8, IoError = 10, Corrupt = 11, Full = 13, CantOpen = 14, Constraint = 19, NotADatabase = 26;

    public static EdgeFaceException Describe(SqliteException e, string path, TimeSpan busyTimeout)
    {
        var message = e.SqliteErrorCode switch
        {
            Busy or Locked => $"gallery {path} is locked by another process (waited {busyTimeout.TotalSeconds:0.#} s); try again when it has finished",
            Full => $"disk full: cannot write gallery {path}; the change was rolled back and stored data is unchanged",
            Corrupt or NotADatabase => $"gallery {path} is corrupt ({e.Message.Split('\'').ElementAtOrDefault(1) ?? e.Message}); restore it from a backup or an exported bundle",
            ReadOnly => $"gallery {path} is read-only; check the file's permissions",
            CantOpen => $"cannot open gallery {path}; check that its folder exists and is writable",
            IoError => $"I/O error on gallery {path} ({e.Message})",
            Constraint when e.Message.Contains("append-only", StringComparison.Ordinal) => $"gallery {path}: the audit log is append-only",
            _ => $"gallery {path}: SQLite error {e.SqliteErrorCode} ({e.Message})",
        };
        return new EdgeFaceException(message, e);
    }
}
