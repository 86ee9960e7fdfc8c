namespace EdgeFace.Trainer.Tests.Onnx;

/// <summary>Straightforward, loop-for-loop C# definitions of the ONNX ops the exporter emits (NCHW, float, double accumulation).</summary>
internal static class ReferenceOps
{
    public static float[] Conv(float[] x, int n, int c, int h, int w, float[] weight, float[]? bias, int outC, int kH, int kW,
        int stride, int pad, int dilation, int group, out int outH, out int outW)
    {
        outH = (h + 2 * pad - dilation * (kH - 1) - 1) / stride + 1;
        outW = (w + 2 * pad - dilation * (kW - 1) - 1) / stride + 1;
        var y = new float[n * outC * outH * outW];
        int inPerGroup = c / group, outPerGroup = outC / group;
        for (var b = 0; b < n; b++)
        for (var oc = 0; oc < outC; oc++)
        {
            var g = oc / outPerGroup;
            for (var oy = 0; oy < outH; oy++)
            for (var ox = 0; ox < outW; ox++)
            {
                double sum = bias?[oc] ?? 0;
                for (var ic = 0; ic < inPerGroup; ic++)
                for (var ky = 0; ky < kH; ky++)
                for (var kx = 0; kx < kW; kx++)
                {
                    int iy = oy * stride - pad + ky * dilation, ix = ox * stride - pad + kx * dilation;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                    var ci = g * inPerGroup + ic;
                    sum += (double)x[((b * c + ci) * h + iy) * w + ix] * weight[((oc * inPerGroup + ic) * kH + ky) * kW + kx];
                }
                y[((b * outC + oc) * outH + oy) * outW + ox] = (float)sum;
            }
        }
        return y;
    }

    /// <summary>y = alpha·a[m,k]·bᵀ (b is [n,k]) + beta·c[n].</summary>
    public static float[] Linear(float[] a, int m, int k, float[] b, int n, float[]? c, float alpha = 1f, float beta = 1f)
    {
        var y = new float[m * n];
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            double sum = 0;
            for (var t = 0; t < k; t++) sum += (double)a[i * k + t] * b[j * k + t];
            y[i * n + j] = (float)(alpha * sum + beta * (c?[j] ?? 0));
        }
        return y;
    }

    public static float[] PRelu(float[] x, int n, int c, int hw, float[] slope)
    {
        var y = new float[x.Length];
        for (var b = 0; b < n; b++)
        for (var ch = 0; ch < c; ch++)
        for (var i = 0; i < hw; i++)
        {
            var idx = (b * c + ch) * hw + i;
            y[idx] = x[idx] >= 0 ? x[idx] : x[idx] * slope[ch];
        }
        return y;
    }

    public static float[] BatchNorm(float[] x, int n, int c, int hw, float[] scale, float[] bias, float[] mean, float[] variance, float eps)
    {
        var y = new float[x.Length];
        for (var b = 0; b < n; b++)
        for (var ch = 0; ch < c; ch++)
        for (var i = 0; i < hw; i++)
        {
            var idx = (b * c + ch) * hw + i;
            y[idx] = (float)((x[idx] - mean[ch]) / Math.Sqrt(variance[ch] + eps) * scale[ch] + bias[ch]);
        }
        return y;
    }

    /// <summary>Max or average pooling, symmetric padding; the average excludes padded cells.</summary>
    public static float[] Pool(float[] x, int n, int c, int h, int w, int k, int stride, int pad, bool max, out int outH, out int outW)
    {
        outH = (h + 2 * pad - k) / stride + 1;
        outW = (w + 2 * pad - k) / stride + 1;
        var y = new float[n * c * outH * outW];
        for (var p = 0; p < n * c; p++)
        for (var oy = 0; oy < outH; oy++)
        for (var ox = 0; ox < outW; ox++)
        {
            double acc = max ? double.NegativeInfinity : 0;
            var count = 0;
            for (var ky = 0; ky < k; ky++)
            for (var kx = 0; kx < k; kx++)
            {
                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                var v = x[(p * h + iy) * w + ix];
                acc = max ? Math.Max(acc, v) : acc + v;
                count++;
            }
            y[(p * outH + oy) * outW + ox] = (float)(max ? acc : acc / count);
        }
        return y;
    }

    public static float[] GlobalAveragePool(float[] x, int n, int c, int hw)
    {
        var y = new float[n * c];
        for (var p = 0; p < n * c; p++)
        {
            double sum = 0;
            for (var i = 0; i < hw; i++) sum += x[p * hw + i];
            y[p] = (float)(sum / hw);
        }
        return y;
    }

    public static float[] L2NormalizeRows(float[] x, int rows, int cols)
    {
        var y = new float[x.Length];
        for (var r = 0; r < rows; r++)
        {
            double sq = 0;
            for (var j = 0; j < cols; j++) sq += (double)x[r * cols + j] * x[r * cols + j];
            var norm = Math.Sqrt(sq);
            for (var j = 0; j < cols; j++) y[r * cols + j] = norm == 0 ? 0 : (float)(x[r * cols + j] / norm);
        }
        return y;
    }
}
