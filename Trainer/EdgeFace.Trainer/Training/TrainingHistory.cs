using System.Globalization;
using System.Text;
using EdgeFace.Runtime.Reporting;

namespace EdgeFace.Trainer.Training;

/// <summary>Per-step loss and learning rate; saved as CSV and drawn as the run's training curves (PNG).</summary>
public sealed class TrainingHistory
{
    private readonly List<(long Step, double Loss, double LearningRate)> _points = [];

    public IReadOnlyList<(long Step, double Loss, double LearningRate)> Points => _points;

    public void Add(long step, double loss, double learningRate) => _points.Add((step, loss, learningRate));

    /// <summary>Mean loss of the first and last <paramref name="window"/> steps.</summary>
    public (double First, double Last) LossEnds(int window)
    {
        var n = Math.Min(window, _points.Count);
        return (_points.Take(n).Average(p => p.Loss), _points.TakeLast(n).Average(p => p.Loss));
    }

    public string ToCsv()
    {
        var sb = new StringBuilder("step,loss,learning_rate\n");
        foreach (var (s, l, lr) in _points) sb.Append(CultureInfo.InvariantCulture, $"{s},{l:G9},{lr:G9}\n");
        return sb.ToString();
    }

    public static TrainingHistory FromCsv(string csv)
    {
        var h = new TrainingHistory();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var f = line.Split(',');
            h.Add(long.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture));
        }
        return h;
    }

    /// <summary>Loss (raw and smoothed) against step.</summary>
    public void SavePlot(string path, string title)
    {
        if (_points.Count == 0) return;
        var steps = _points.Select(p => (double)p.Step).ToArray();
        var loss = _points.Select(p => p.Loss).ToArray();
        var smooth = new double[loss.Length];
        var window = Math.Clamp(loss.Length / 20, 1, 200);
        for (var i = 0; i < loss.Length; i++)
        {
            var from = Math.Max(0, i - window + 1);
            smooth[i] = loss.AsSpan(from, i - from + 1).ToArray().Average();
        }
        new LinePlot(title, "step", "loss") { LegendTop = true }
            .AddSeries("loss", steps, loss)
            .AddSeries($"mean of {window}", steps, smooth)
            .SavePng(path);
    }
}
