namespace EdgeFace.Runtime.Signatures;

/// <summary>
/// A training-free BASELINE signature embedder: hand-crafted features of the cleaned canvas, for testing the
/// protocol and for a reference EER that a trained network must beat. It is not the product's model.
/// <para>
/// Features, each group square-rooted (Hellinger) and L2-normalised on its own so no group dominates:
/// histograms of gradient orientation (8 unsigned bins, magnitude-weighted, linear between bins) over a 3x4 and a
/// 6x9 grid of cells; the ink's column and row projection profiles pooled to 22 and 15 bins; and ink density over a
/// 6x9 grid. The whole vector is then L2-normalised.
/// </para>
/// Stateless and thread-safe: all accumulation happens in the caller's destination.
/// </summary>
public sealed class GradientHistogramSignatureEmbedder : ISignatureEmbedder
{
    private const int H = SignatureCleaner.Height, W = SignatureCleaner.Width;
    private const int Orientations = 8;
    private static readonly (int Rows, int Cols)[] OrientationGrids = [(3, 4), (6, 9)];
    private const int ColumnBins = 22, RowBins = 15;
    private const int DensityRows = 6, DensityCols = 9;

    public string Id => "baseline-hog-v1";

    public int Dimension { get; } =
        OrientationGrids.Sum(g => g.Rows * g.Cols * Orientations) + ColumnBins + RowBins + DensityRows * DensityCols;

    public void Embed(ReadOnlySpan<float> cleaned, Span<float> destination)
    {
        if (cleaned.Length != SignatureCleaner.PixelCount)
            throw new ArgumentException($"cleaned signature must have {SignatureCleaner.PixelCount} values, has {cleaned.Length}", nameof(cleaned));
        if (destination.Length != Dimension)
            throw new ArgumentException($"destination must have {Dimension} values, has {destination.Length}", nameof(destination));
        destination.Clear();
        var offset = 0;
        var coarse = destination.Slice(offset, OrientationGrids[0].Rows * OrientationGrids[0].Cols * Orientations);
        offset += coarse.Length;
        var fine = destination.Slice(offset, OrientationGrids[1].Rows * OrientationGrids[1].Cols * Orientations);
        offset += fine.Length;
        var columns = destination.Slice(offset, ColumnBins);
        offset += ColumnBins;
        var rows = destination.Slice(offset, RowBins);
        offset += RowBins;
        var density = destination.Slice(offset, DensityRows * DensityCols);

        for (var y = 0; y < H; y++)
        {
            var row = cleaned.Slice(y * W, W);
            for (var x = 0; x < W; x++)
            {
                var v = row[x];
                if (v != 0)
                {
                    columns[x * ColumnBins / W] += v;
                    rows[y * RowBins / H] += v;
                    density[y * DensityRows / H * DensityCols + x * DensityCols / W] += v;
                }
                if (y == 0 || y == H - 1 || x == 0 || x == W - 1) continue;
                var gx = row[x + 1] - row[x - 1];
                var gy = cleaned[(y + 1) * W + x] - cleaned[(y - 1) * W + x];
                var magnitude = MathF.Sqrt(gx * gx + gy * gy);
                if (magnitude == 0) continue;
                var angle = MathF.Atan2(gy, gx);
                if (angle < 0) angle += MathF.PI;
                var position = angle / MathF.PI * Orientations - 0.5f;
                var lower = (int)MathF.Floor(position);
                var fraction = position - lower;
                var binLow = (lower + Orientations) % Orientations;
                var binHigh = (lower + 1) % Orientations;
                AddOrientation(coarse, OrientationGrids[0], y, x, binLow, binHigh, magnitude, fraction);
                AddOrientation(fine, OrientationGrids[1], y, x, binLow, binHigh, magnitude, fraction);
            }
        }
        Hellinger(coarse);
        Hellinger(fine);
        Hellinger(columns);
        Hellinger(rows);
        Hellinger(density);
        SignatureVectors.Normalize(destination);
    }

    private static void AddOrientation(Span<float> histogram, (int Rows, int Cols) grid, int y, int x, int low, int high, float magnitude, float fraction)
    {
        var cell = (y * grid.Rows / H * grid.Cols + x * grid.Cols / W) * Orientations;
        histogram[cell + low] += magnitude * (1 - fraction);
        histogram[cell + high] += magnitude * fraction;
    }

    private static void Hellinger(Span<float> group)
    {
        for (var i = 0; i < group.Length; i++) group[i] = MathF.Sqrt(group[i]);
        SignatureVectors.Normalize(group);
    }
}
