using System.Numerics;
using System.Runtime.CompilerServices;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Layers;

/// <summary>
/// Max over K×K windows (padding never wins). Forward keeps each output's arg-max (a plane offset) in the
/// tape's saved scratch, so backward is a plain scatter. Selection is branch-free (vector selects, then mask
/// arithmetic): a data-dependent branch per tap mispredicts about half the time on real activations.
/// </summary>
public sealed class MaxPool2d(int kernel, int stride, int pad = 0) : Layer, ITapeOp
{
    private readonly PlaneWork _work = new();

    /// <summary>Per-plane task of the current call; cached so a call allocates nothing.</summary>
    private sealed class PlaneWork : IParallelWork
    {
        public MaxPool2d Owner = null!;
        public Tensor X, Y, ArgMax;
        public bool Backward;
        public void Execute(int nc)
        {
            if (Backward) BackwardPlane(X, Y, ArgMax, nc);
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
        int h = x.H, w = x.W, oh = y.H, ow = y.W, k = Kernel, stride = Stride, pad = Pad;
        // Per output row: a vertical max (and its row) over the window's input rows, vectorised along the
        // contiguous input columns, then K horizontal taps per output. Ties go to the upper row, then the left column.
        var columnMax = KernelScratch.Current.Plane(2 * w);
        var columnArg = (int*)(columnMax + w);
        fixed (float* xs = x.Data, ys = y.Data, saved = argMax.Data)
        {
            var src = xs + (long)nc * h * w;
            var dst = ys + (long)nc * oh * ow;
            var arg = (int*)saved + (long)nc * oh * ow;
            for (var oy = 0; oy < oh; oy++)
            {
                var y0 = oy * stride - pad;
                int iyFirst = y0 + Math.Max(0, -y0), iyEnd = y0 + Math.Min(k, h - y0);
                ColumnMax(src, w, iyFirst, iyEnd, columnMax, columnArg);
                for (var ox = 0; ox < ow; ox++)
                {
                    var x0 = ox * stride - pad;
                    int ixFirst = x0 + Math.Max(0, -x0), ixEnd = x0 + Math.Min(k, w - x0);
                    var max = columnMax[ixFirst];
                    var best = ixFirst;
                    for (var ix = ixFirst + 1; ix < ixEnd; ix++)
                    {
                        var v = columnMax[ix];
                        var greater = v > max;
                        var mask = -(int)Unsafe.As<bool, byte>(ref greater);
                        best ^= (best ^ ix) & mask;
                        max = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(max) ^ ((BitConverter.SingleToInt32Bits(max) ^ BitConverter.SingleToInt32Bits(v)) & mask));
                    }
                    *dst++ = max;
                    *arg++ = columnArg[best] * w + best;
                }
            }
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

    private static unsafe void BackwardPlane(Tensor x, Tensor y, Tensor argMax, int nc)
    {
        var outPlane = y.Plane;
        fixed (float* dxs = x.Grad, dys = y.Grad, saved = argMax.Data)
        {
            var dx = dxs + (long)nc * x.Plane;
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
