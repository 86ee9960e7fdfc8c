namespace EdgeFace.Trainer.Kernels;

/// <summary>Argument checks done before any kernel touches memory through raw pointers.</summary>
internal static class KernelGuard
{
    /// <summary>A row-major rows×cols matrix with leading dimension ld must fit in a span of <paramref name="length"/>.</summary>
    public static void Matrix(string name, int length, int rows, int cols, int ld)
    {
        if (rows < 0 || cols < 0) throw new ArgumentException($"{name}: negative size {rows}x{cols}");
        if (ld < cols || ld < 0) throw new ArgumentException($"{name}: leading dimension {ld} is less than its width {cols}");
        if (rows == 0 || cols == 0) return;
        var needed = (long)(rows - 1) * ld + cols;
        if (needed > length) throw new ArgumentException($"{name}: {rows}x{cols} with leading dimension {ld} needs {needed} floats, span has {length}");
    }

    public static void Length(string name, int length, long needed)
    {
        if (length < needed) throw new ArgumentException($"{name}: needs {needed} floats, span has {length}");
    }
}
