using EdgeFace.Enrollment.Security;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

/// <summary>
/// The options every gallery command shares: <c>--gallery DB</c> (default <c>./edgeface-gallery.db</c>),
/// <c>--key-file F</c> (else <c>EDGEFACE_GALLERY_KEY</c>), <c>--actor NAME</c> for the audit trail (default "cli")
/// and <c>--busy-timeout S</c> (seconds to wait for another process's write).
/// </summary>
internal sealed record GalleryOptions(string GalleryPath, string? KeyFile, string Actor, TimeSpan BusyTimeout)
{
    public const string DefaultGallery = "edgeface-gallery.db";
    public const string Usage = "[--gallery DB] [--key-file F] [--actor NAME]";

    public static GalleryOptions Read(CliArgs args)
    {
        var seconds = args.GetDouble("busy-timeout", 5);
        if (seconds is < 0 or > 3600) throw new EdgeFaceException($"--busy-timeout must be between 0 and 3600 seconds, got {seconds}");
        var actor = args.Get("actor") ?? "cli";
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > 100 || actor.Any(char.IsControl)) throw new EdgeFaceException("--actor must be a short name");
        return new GalleryOptions(args.Get("gallery") ?? DefaultGallery, args.Get("key-file"), actor.Trim(), TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Opens the gallery; <paramref name="create"/> lets enrolment-type commands create it.</summary>
    public SqliteGalleryStore Open(bool create = false)
    {
        using var key = GalleryKey.Resolve(KeyFile);
        return SqliteGalleryStore.Open(GalleryPath, key, new SqliteGalleryOptions { CreateIfMissing = create, BusyTimeout = BusyTimeout });
    }

    /// <summary>The identity named <paramref name="name"/>, or an error saying it is not enrolled.</summary>
    public static Enrollment.Model.IdentityRecord Require(IGalleryStore store, string name) =>
        store.FindIdentity(name) ?? throw new EdgeFaceException($"'{name}' is not enrolled in {store.Location}");
}
