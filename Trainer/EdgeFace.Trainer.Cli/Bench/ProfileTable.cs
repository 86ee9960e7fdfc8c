using System.Globalization;
using EdgeFace.Trainer.Engine;

namespace EdgeFace.Trainer.Cli.Bench;

/// <summary>Renders a <see cref="StepProfile"/> as per-step milliseconds: one row per op, then totals by op type.</summary>
internal static class ProfileTable
{
    public static void Write(StepProfile p, TextWriter output)
    {
        var steps = Math.Max(1, p.Steps);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"per-step profile over {p.Steps} steps (ms): forward, backward, op, output shape"));
        foreach (var row in p.Rows)
            output.WriteLine(string.Create(inv, $"{row.ForwardMs / steps,8:F2} {row.BackwardMs / steps,8:F2}  {row.Op,-22} {row.Shape}"));
        output.WriteLine("by op type:");
        foreach (var (op, forward, backward) in ByType(p))
            output.WriteLine(string.Create(inv, $"{forward / steps,8:F2} {backward / steps,8:F2}  {op}"));
        var covered = p.Rows.Sum(r => r.ForwardMs + r.BackwardMs);
        output.WriteLine(string.Create(inv, $"step {p.TotalMs / steps:F2} ms; ops {covered / steps:F2}; loss, optimizer and glue {(p.TotalMs - covered) / steps:F2}"));
    }

    public static object ToJson(StepProfile p)
    {
        var steps = Math.Max(1, p.Steps);
        return new
        {
            steps = p.Steps,
            step_ms = Math.Round(p.TotalMs / steps, 3),
            ops = p.Rows.Select(r => new { op = r.Op, shape = r.Shape, forward_ms = Math.Round(r.ForwardMs / steps, 3), backward_ms = Math.Round(r.BackwardMs / steps, 3) }).ToArray(),
        };
    }

    private static IEnumerable<(string Op, double Forward, double Backward)> ByType(StepProfile p) =>
        p.Rows.GroupBy(r => r.Op)
            .Select(g => (g.Key, g.Sum(r => r.ForwardMs), g.Sum(r => r.BackwardMs)))
            .OrderByDescending(t => t.Item2 + t.Item3);
}
