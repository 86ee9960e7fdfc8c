using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class SignatureEvaluateCommand : CliCommand
{
    public override string Path => "signature evaluate";
    public override string Summary => "Writer-independent signature verification on SigComp2011: EER/AUC for skilled and random forgeries";
    public override string Usage => SignatureEvaluation.Usage + " (--references R is accepted for --refs; default 5)";
    public override IReadOnlyCollection<string> Flags => SignatureEvaluation.Flags;

    public override int Run(CliArgs args, CliContext context) => SignatureEvaluation.Run(args, context, defaultRefs: "5");
}
