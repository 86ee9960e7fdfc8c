using System.Globalization;
using OpenCvSharp;

namespace EdgeFace.Runtime.Reporting;

/// <summary>
/// A small line chart rendered with OpenCV and saved as PNG: ROC and DET curves, training curves.
/// Axes may be logarithmic (FAR axes usually are). Non-finite points, and non-positive ones on a log axis,
/// are left out rather than failing a long run at its last step.
/// </summary>
public sealed class LinePlot(string title, string xLabel, string yLabel)
{
    private static readonly Scalar[] Palette =
    [
        new(180, 90, 30), new(40, 120, 230), new(60, 160, 60), new(40, 40, 200), new(150, 80, 150), new(30, 150, 170),
    ];

    private readonly List<(string Name, double[] X, double[] Y)> _series = [];
    private readonly List<(string Label, double X, double Y)> _markers = [];

    public bool LogX { get; init; }
    public bool LogY { get; init; }
    public (double Min, double Max)? XRange { get; init; }
    public (double Min, double Max)? YRange { get; init; }
    /// <summary>Legend in the top-right corner instead of the bottom-right (for falling curves such as losses).</summary>
    public bool LegendTop { get; init; }

    public LinePlot AddSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"series '{name}': {x.Count} x values but {y.Count} y values");
        _series.Add((name, x.ToArray(), y.ToArray()));
        return this;
    }

    /// <summary>A labelled point, e.g. the operating threshold on a ROC curve.</summary>
    public LinePlot AddMarker(string label, double x, double y)
    {
        _markers.Add((label, x, y));
        return this;
    }

    public void SavePng(string path, int width = 800, int height = 600)
    {
        using var canvas = Render(width, height);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        if (!Cv2.ImWrite(path, canvas)) throw new EdgeFaceException($"could not write plot {path}");
    }

    /// <summary>Renders the chart; the caller owns (disposes) the returned Mat.</summary>
    public Mat Render(int width, int height)
    {
        var canvas = new Mat(height, width, MatType.CV_8UC3, Scalar.White);
        const int left = 80, right = 20, top = 40, bottom = 60;
        var plot = new Rect(left, top, width - left - right, height - top - bottom);
        var (xMin, xMax) = XRange ?? Extent(s => s.X, LogX);
        var (yMin, yMax) = YRange ?? Extent(s => s.Y, LogY);
        var xAxis = new Axis(xMin, xMax, LogX, plot.Left, plot.Right);
        var yAxis = new Axis(yMin, yMax, LogY, plot.Bottom, plot.Top);

        DrawText(canvas, title, new Point(left, 26), 0.6, 1);
        foreach (var tick in xAxis.Ticks())
        {
            var px = (int)xAxis.ToPixel(tick);
            canvas.Line(px, plot.Top, px, plot.Bottom, new Scalar(230, 230, 230));
            DrawText(canvas, Format(tick), new Point(px - 18, plot.Bottom + 18), 0.4);
        }
        foreach (var tick in yAxis.Ticks())
        {
            var py = (int)yAxis.ToPixel(tick);
            canvas.Line(plot.Left, py, plot.Right, py, new Scalar(230, 230, 230));
            DrawText(canvas, Format(tick), new Point(8, py + 4), 0.4);
        }
        canvas.Rectangle(plot, Scalar.Black);
        DrawText(canvas, xLabel, new Point(plot.Left + plot.Width / 2 - 4 * xLabel.Length, height - 14), 0.5);
        DrawText(canvas, yLabel, new Point(8, top - 10), 0.5);

        for (var s = 0; s < _series.Count; s++)
        {
            var points = _series[s].X.Zip(_series[s].Y)
                .Where(p => xAxis.Accepts(p.First) && yAxis.Accepts(p.Second))
                .Select(p => new Point(xAxis.ToPixel(p.First), yAxis.ToPixel(p.Second))).ToArray();
            var color = Palette[s % Palette.Length];
            if (points.Length > 1) canvas.Polylines([points], isClosed: false, color, 2, LineTypes.AntiAlias);
            else if (points.Length == 1) canvas.Circle(points[0], 3, color, -1);
        }
        foreach (var (label, x, y) in _markers.Where(m => xAxis.Accepts(m.X) && yAxis.Accepts(m.Y)))
        {
            var p = new Point(xAxis.ToPixel(x), yAxis.ToPixel(y));
            canvas.Circle(p, 5, Scalar.Red, 2);
            DrawText(canvas, label, new Point(p.X + 8, p.Y - 8), 0.45);
        }
        DrawLegend(canvas, plot);
        return canvas;
    }

    private void DrawLegend(Mat canvas, Rect plot)
    {
        if (_series.Count == 0) return;
        var boxTop = LegendTop ? plot.Top + 8 : plot.Bottom - 14 - 18 * _series.Count;
        var box = new Rect(plot.Right - 186, boxTop, 178, 18 * _series.Count + 6);
        canvas.Rectangle(box, Scalar.White, -1);
        canvas.Rectangle(box, new Scalar(200, 200, 200));
        for (var s = 0; s < _series.Count; s++)
        {
            var y = boxTop + 16 + 18 * s;
            canvas.Line(box.Left + 8, y - 4, box.Left + 28, y - 4, Palette[s % Palette.Length], 2);
            DrawText(canvas, _series[s].Name, new Point(box.Left + 34, y), 0.45);
        }
    }

    private (double, double) Extent(Func<(string Name, double[] X, double[] Y), double[]> pick, bool log)
    {
        var values = _series.SelectMany(pick).Where(v => double.IsFinite(v) && (!log || v > 0)).ToArray();
        if (values.Length == 0) return log ? (0.1, 1) : (0, 1);
        double min = values.Min(), max = values.Max();
        if (min == max) { min = log ? min / 2 : min - 0.5; max = log ? max * 2 : max + 0.5; }
        return (min, max);
    }

    private static void DrawText(Mat canvas, string text, Point at, double scale, int thickness = 1) =>
        canvas.PutText(text, at, HersheyFonts.HersheySimplex, scale, new Scalar(20, 20, 20), thickness, LineTypes.AntiAlias);

    private static string Format(double v) =>
        Math.Abs(v) is >= 1e-3 and < 1e5 or 0 ? v.ToString("0.###", CultureInfo.InvariantCulture) : v.ToString("0.#e0", CultureInfo.InvariantCulture);

    /// <summary>Maps data values to pixels along one axis, linear or logarithmic.</summary>
    private readonly record struct Axis(double Min, double Max, bool Log, double PixelAtMin, double PixelAtMax)
    {
        private double T(double v) => Log ? Math.Log10(v) : v;
        public bool Accepts(double v) => double.IsFinite(v) && (!Log || v > 0);
        public int ToPixel(double v)
        {
            var span = T(Max) - T(Min);
            var f = span == 0 ? 0.5 : (Math.Clamp(T(v), T(Min), T(Max)) - T(Min)) / span;
            return (int)Math.Round(PixelAtMin + f * (PixelAtMax - PixelAtMin));
        }

        public IEnumerable<double> Ticks()
        {
            if (Log)
            {
                for (var e = Math.Floor(Math.Log10(Min)); e <= Math.Ceiling(Math.Log10(Max)); e++)
                {
                    var v = Math.Pow(10, e);
                    if (v >= Min * 0.999 && v <= Max * 1.001) yield return v;
                }
                yield break;
            }
            var raw = (Max - Min) / 5;
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
            for (var v = Math.Ceiling(Min / step) * step; v <= Max + step * 1e-9; v += step) yield return Math.Round(v / step) * step;
        }
    }
}
