using System.Numerics;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Layers;

/// <summary>
/// Max over K×K windows (padding never wins). Forward keeps each output's arg-max (a plane offset) in the
/// tape's saved scratch, so backward is a plain scatter. Selection uses vector compares and selects: a
/// data-dependent branch per tap mispredicts about half the time on real activations.
/// </summary>
public sealed class MaxPool2d(int kernel, int stride, int pad = 0) : Layer, ITapeOp
{
    private readonly PlaneWork _work = new();

    /// <summary>Per-plane task of the current call; cached so a call allocates nothing.</summary>
    private sealed class PlaneWork : IParallelWork
    {
        public MaxPool2d Owner = null!;
        public Tensor X, Y, ArgMax;
        public bool Backward, Accumulate;
        public void Execute(int nc)
        {
            if (Backward) BackwardPlane(X, Y, ArgMax, nc, Accumulate);
            else Owner.ForwardPlane(X, Y, ArgMax, nc);
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
        var argMax = g.Scratch(y.Length);
        (_work.Owner, _work.X, _work.Y, _work.ArgMax, _work.Backward) = (this, x, y, argMax, false);
        Parallelism.For(x.N * x.C, (long)y.Plane * Kernel * Kernel, _work);
        g.Record(this, x, y, saved: argMax);
        return y;
    }

    private unsafe void ForwardPlane(Tensor x, Tensor y, Tensor argMax, int nc)
    {
        int h = x.H, w = x.W, oh = y.H, ow = y.W, k = Kernel, stride = Stride, pad = Pad, lanes = Vector<float>.Count;
        // Per output row: a vertical max (and its row) over the window's input rows, then a horizontal max over
        // every K-wide window of that (padded) row, both vectorised along contiguous columns; outputs then pick
        // every Stride-th window. Ties go to the upper row, then the left column.
        var span = pad + w + k + 2 * lanes;
        var scratch = KernelScratch.Current.Plane(4 * span);
        float* columnMax = scratch, windowMax = scratch + 2 * span;
        int* columnRow = (int*)(scratch + span), windowAt = (int*)(scratch + 3 * span);
        new Span<float>(columnMax, span).Fill(float.NegativeInfinity);
        fixed (float* xs = x.Data, ys = y.Data, saved = argMax.Data)
        {
            var src = xs + (long)nc * h * w;
            var dst = ys + (long)nc * oh * ow;
            var arg = (int*)saved + (long)nc * oh * ow;
            var windows = (ow - 1) * stride + 1;
            for (var oy = 0; oy < oh; oy++)
            {
                var y0 = oy * stride - pad;
                int iyFirst = y0 + Math.Max(0, -y0), iyEnd = y0 + Math.Min(k, h - y0);
                // Padding cells stay −inf, so they never win against a real value; their row is any valid one.
                new Span<int>(columnRow, span).Fill(iyFirst);
                ColumnMax(src, w, iyFirst, iyEnd, columnMax + pad, columnRow + pad);
                WindowMax(columnMax, windows, k, windowMax, windowAt);
                for (var ox = 0; ox < ow; ox++)
                {
                    var at = windowAt[ox * stride];
                    *dst++ = windowMax[ox * stride];
                    *arg++ = columnRow[at] * w + Math.Clamp(at - pad, 0, w - 1);
                }
            }
        }
    }

    /// <summary>max[i] = max of row[i .. i+k), at[i] = the first position holding it, for i in [0, count).</summary>
    private static unsafe void WindowMax(float* row, int count, int k, float* max, int* at)
    {
        var lanes = Vector<float>.Count;
        for (var i = 0; i < count; i += lanes)
        {
            var m = Vector.Load(row + i);
            var a = Vector<int>.Indices + new Vector<int>(i);
            for (var d = 1; d < k; d++)
            {
                var v = Vector.Load(row + i + d);
                var greater = Vector.GreaterThan(v, m);
                m = Vector.ConditionalSelect(greater, v, m);
                a = Vector.ConditionalSelect(greater.As<int, int>(), Vector<int>.Indices + new Vector<int>(i + d), a);
            }
            m.Store(max + i);
            a.Store(at + i);
        }
    }

    /// <summary>max[ix] = max over rows [iyFirst, iyEnd) of plane[iy, ix], row[ix] = the first row holding it.</summary>
    private static unsafe void ColumnMax(float* plane, int w, int iyFirst, int iyEnd, float* max, int* row)
    {
        var lanes = Vector<float>.Count;
        var ix = 0;
        for (; ix + lanes <= w; ix += lanes)
        {
            var m = Vector.Load(plane + iyFirst * w + ix);
            var r = new Vector<int>(iyFirst);
            for (var iy = iyFirst + 1; iy < iyEnd; iy++)
            {
                var v = Vector.Load(plane + iy * w + ix);
                var greater = Vector.GreaterThan(v, m);
                m = Vector.ConditionalSelect(greater, v, m);
                r = Vector.ConditionalSelect(greater.As<int, int>(), new Vector<int>(iy), r);
            }
            m.Store(max + ix);
            r.Store(row + ix);
        }
        for (; ix < w; ix++)
        {
            var m = plane[iyFirst * w + ix];
            var r = iyFirst;
            for (var iy = iyFirst + 1; iy < iyEnd; iy++)
            {
                var v = plane[iy * w + ix];
                if (v > m) { m = v; r = iy; }
            }
            max[ix] = m;
            row[ix] = r;
        }
    }

    private static unsafe void BackwardPlane(Tensor x, Tensor y, Tensor argMax, int nc, bool accumulate)
    {
        var outPlane = y.Plane;
        fixed (float* dxs = x.Grad, dys = y.Grad, saved = argMax.Data)
        {
            var dx = dxs + (long)nc * x.Plane;
            if (!accumulate) new Span<float>(dx, x.Plane).Clear();
            var dy = dys + (long)nc * outPlane;
            var arg = (int*)saved + (long)nc * outPlane;
            for (var o = 0; o < outPlane; o++) dx[arg[o]] += dy[o];
        }
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        var x = e.Input; var y = e.Output;
        if (!x.HasGrad) return;
        (_work.Owner, _work.X, _work.Y, _work.ArgMax, _work.Backward) = (this, x, y, e.Saved, true);
        // Resolved on the tape's thread before the pool slices them. The scatter adds: a first write this step
        // zeroes each plane in its task, just before adding into it, rather than the whole gradient up front.
        _ = y.Grad;
        _work.Accumulate = x.ClaimGrad();
        Parallelism.For(x.N * x.C, y.Plane, _work);
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
