using EdgeFace.Cli.Commands;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli;

/// <summary>Every command of the <c>edgeface</c> host. Commands live one per file under Commands/.</summary>
public static class CommandCatalog
{
    public static IEnumerable<CliCommand> All() =>
    [
        new VersionCommand(),
        new DetectCommand(),
        new EmbedCommand(),
        new VerifyCommand(),
        new GalleryNewKeyCommand(),
        new GalleryAddCommand(),
        new GalleryListCommand(),
        new GalleryShowCommand(),
        new GalleryRemoveCommand(),
        new GalleryStatusCommand(),
        new GalleryExportCommand(),
        new GalleryImportCommand(),
        new GalleryRotateKeyCommand(),
        new IdentifyCommand(),
        new AuditVerifyCommand(),
        new AuditListCommand(),
        new BenchSearchCommand(),
        new BenchEnrollCommand(),
        new CalibrateCommand(),
        new EvalLfwCommand(),
        new BenchPipelineCommand(),
        new ModelsCommand(),
        new SignatureCleanCommand(),
        new SignatureEvaluateCommand(),
        new SignatureCheckReferencesCommand(),
        new SignatureBenchCommand(),
        new SignatureEnrollCommand(),
        new SignatureVerifyCommand(),
        new SignatureCalibrateCommand(),
        new EvalSignaturesCommand(),
        new KioskCommand(),
        new BenchKioskCommand(),
    ];
}
