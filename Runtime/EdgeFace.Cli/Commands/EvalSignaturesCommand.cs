using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

/// <summary><c>eval signatures</c>: the evaluation family's name for <c>signature evaluate</c> (same implementation), for R = 1, 3, 5 by default.</summary>
public sealed class EvalSignaturesCommand : CliCommand
{
    public override string Path => "eval signatures";
    public override string Summary => "Signature verification benchmark (writer-independent, SigComp2011): EER/AUC skilled & random, FAR/FRR at the model's threshold, per R";
    public override string Usage => SignatureEvaluation.Usage;
    public override IReadOnlyCollection<string> Flags => SignatureEvaluation.Flags;

    public override int Run(CliArgs args, CliContext context) => SignatureEvaluation.Run(args, context, defaultRefs: "1,3,5");
}
