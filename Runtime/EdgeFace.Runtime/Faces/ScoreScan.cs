using System.Numerics;

namespace EdgeFace.Runtime.Faces;

/// <summary>
/// Finds the anchors worth decoding: almost all of a detector's thousands of priors score near zero, so a
/// SIMD pass skips whole vectors below the threshold and only the rare hits are looked at one by one.
/// </summary>
internal static class ScoreScan
{
    /// <summary>Calls back with every index i where <c>a[i]*b[i] &gt;= threshold</c> (pass b = a-free ones via <see cref="AtLeast(ReadOnlySpan{float}, float, List{int})"/>).</summary>
    public static void ProductAtLeast(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float threshold, List<int> hits)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var t = new Vector<float>(threshold);
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var p = new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
                if (!Vector.GreaterThanOrEqualAny(p, t)) continue;
                for (var j = i; j < i + Vector<float>.Count; j++) if (a[j] * b[j] >= threshold) hits.Add(j);
            }
        }
        for (; i < a.Length; i++) if (a[i] * b[i] >= threshold) hits.Add(i);
    }

    /// <summary>Adds every index i where <c>a[i] &gt;= threshold</c>.</summary>
    public static void AtLeast(ReadOnlySpan<float> a, float threshold, List<int> hits)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var t = new Vector<float>(threshold);
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                if (!Vector.GreaterThanOrEqualAny(new Vector<float>(a[i..]), t)) continue;
                for (var j = i; j < i + Vector<float>.Count; j++) if (a[j] >= threshold) hits.Add(j);
            }
        }
        for (; i < a.Length; i++) if (a[i] >= threshold) hits.Add(i);
    }
}
