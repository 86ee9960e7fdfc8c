using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Layers;

/// <summary>Max over K×K windows (padding never wins). Backward recomputes the arg-max instead of storing it.</summary>
public sealed class MaxPool2d(int kernel, int stride, int pad = 0) : Layer, ITapeOp
{
    private readonly PlaneWork _work = new();

    /// <summary>Per-plane task of the current call; cached so a call allocates nothing.</summary>
    private sealed class PlaneWork : IParallelWork
    {
        public MaxPool2d Owner = null!;
        public Tensor X, Y;
        public bool Backward;
        public void Execute(int nc)
        {
            if (Backward) Owner.BackwardPlane(X, Y, nc);
            else Owner.ForwardPlane(X, Y, nc);
        }
    }

    public int Kernel { get; } = kernel;
    public int Stride { get; } = stride;
    public int Pad { get; } = pad;

    private int Out(int size) => (size + 2 * Pad - Kernel) / Stride + 1;

    // x [N, C, H, W] -> y [N, C, H', W']
    public override Tensor Forward(Graph g, Tensor x)
    {
        var y = g.NewTensor(x.N, x.C, Out(x.H), Out(x.W));
        (_work.Owner, _work.X, _work.Y, _work.Backward) = (this, x, y, false);
        Parallelism.For(x.N * x.C, (long)y.Plane * Kernel * Kernel, _work);
        g.Record(this, x, y);
        return y;
    }

    private void ForwardPlane(Tensor x, Tensor y, int nc)
    {
        var src = x.Data.Slice(nc * x.Plane, x.Plane); var dst = y.Data.Slice(nc * y.Plane, y.Plane);
        for (var oy = 0; oy < y.H; oy++)
        for (var ox = 0; ox < y.W; ox++)
            dst[oy * y.W + ox] = src[ArgMax(src, x.H, x.W, oy, ox)];
    }

    private void BackwardPlane(Tensor x, Tensor y, int nc)
    {
        var src = x.Data.Slice(nc * x.Plane, x.Plane); var dx = x.Grad.Slice(nc * x.Plane, x.Plane);
        var dy = y.Grad.Slice(nc * y.Plane, y.Plane);
        for (var oy = 0; oy < y.H; oy++)
        for (var ox = 0; ox < y.W; ox++)
            dx[ArgMax(src, x.H, x.W, oy, ox)] += dy[oy * y.W + ox];
    }

    private int ArgMax(ReadOnlySpan<float> plane, int h, int w, int oy, int ox)
    {
        var best = -1; var max = float.NegativeInfinity;
        for (var ky = 0; ky < Kernel; ky++)
        {
            var iy = oy * Stride - Pad + ky;
            if ((uint)iy >= (uint)h) continue;
            for (var kx = 0; kx < Kernel; kx++)
            {
                var ix = ox * Stride - Pad + kx;
                if ((uint)ix >= (uint)w) continue;
                var v = plane[iy * w + ix];
                if (best < 0 || v > max) { max = v; best = iy * w + ix; }
            }
        }
        return best;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        var x = e.Input; var y = e.Output;
        if (!x.HasGrad) return;
        (_work.Owner, _work.X, _work.Y, _work.Backward) = (this, x, y, true);
        Parallelism.For(x.N * x.C, (long)y.Plane * Kernel * Kernel, _work);
    }
}

/// <summary>Mean over K×K windows, padding counted as zeros (PyTorch's count_include_pad).</summary>
public sealed class AvgPool2d(int kernel, int stride, int pad = 0) : Layer, ITapeOp
{
    public int Kernel { get; } = kernel;
    public int Stride { get; } = stride;
    public int Pad { get; } = pad;

    private int Out(int size) => (size + 2 * Pad - Kernel) / Stride + 1;

    public override Tensor Forward(Graph g, Tensor x)
    {
        var y = g.NewTensor(x.N, x.C, Out(x.H), Out(x.W));
        var scale = 1f / (Kernel * Kernel);
        for (var nc = 0; nc < x.N * x.C; nc++)
        {
            var src = x.Data.Slice(nc * x.Plane, x.Plane); var dst = y.Data.Slice(nc * y.Plane, y.Plane);
            for (var oy = 0; oy < y.H; oy++)
            for (var ox = 0; ox < y.W; ox++)
            {
                var sum = 0f;
                for (var ky = 0; ky < Kernel; ky++)
                {
                    var iy = oy * Stride - Pad + ky;
                    if ((uint)iy >= (uint)x.H) continue;
                    for (var kx = 0; kx < Kernel; kx++)
                    {
                        var ix = ox * Stride - Pad + kx;
                        if ((uint)ix < (uint)x.W) sum += src[iy * x.W + ix];
                    }
                }
                dst[oy * y.W + ox] = sum * scale;
            }
        }
        g.Record(this, x, y);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        var x = e.Input; var y = e.Output;
        if (!x.HasGrad) return;
        var scale = 1f / (Kernel * Kernel);
        for (var nc = 0; nc < x.N * x.C; nc++)
        {
            var dx = x.Grad.Slice(nc * x.Plane, x.Plane); var dy = y.Grad.Slice(nc * y.Plane, y.Plane);
            for (var oy = 0; oy < y.H; oy++)
            for (var ox = 0; ox < y.W; ox++)
            {
                var d = dy[oy * y.W + ox] * scale;
                for (var ky = 0; ky < Kernel; ky++)
                {
                    var iy = oy * Stride - Pad + ky;
                    if ((uint)iy >= (uint)x.H) continue;
                    for (var kx = 0; kx < Kernel; kx++)
                    {
                        var ix = ox * Stride - Pad + kx;
                        if ((uint)ix < (uint)x.W) dx[iy * x.W + ix] += d;
                    }
                }
            }
        }
    }
}

/// <summary>Mean over each whole channel plane: [N, C, H, W] -> [N, C, 1, 1].</summary>
public sealed class GlobalAvgPool : Layer, ITapeOp
{
    public override Tensor Forward(Graph g, Tensor x)
    {
        var y = g.NewTensor(x.N, x.C);
        var xs = x.Data; var ys = y.Data;
        for (var nc = 0; nc < x.N * x.C; nc++)
        {
            var sum = 0f;
            foreach (var v in xs.Slice(nc * x.Plane, x.Plane)) sum += v;
            ys[nc] = sum / x.Plane;
        }
        g.Record(this, x, y);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        var x = e.Input;
        if (!x.HasGrad) return;
        var dy = e.Output.Grad; var dx = x.Grad;
        for (var nc = 0; nc < x.N * x.C; nc++)
        {
            var d = dy[nc] / x.Plane;
            foreach (ref var v in dx.Slice(nc * x.Plane, x.Plane)) v += d;
        }
    }
}
