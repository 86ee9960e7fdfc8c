namespace EdgeFace.Trainer.Data;

/// <summary>
/// Orders names the way people number them: "s2" before "s10", "001" before "002". Runs of digits compare by
/// value (then by length, so "01" and "1" stay distinct), everything else ordinally. Gives datasets a stable
/// label order independent of the file system's listing order.
/// </summary>
public sealed class NaturalStringComparer : IComparer<string>
{
    public static readonly NaturalStringComparer Instance = new();

    private NaturalStringComparer() { }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int si = i, sj = j;
                while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
                while (j < y.Length && char.IsAsciiDigit(y[j])) j++;
                var a = x.AsSpan(si, i - si).TrimStart('0');
                var b = y.AsSpan(sj, j - sj).TrimStart('0');
                if (a.Length != b.Length) return a.Length.CompareTo(b.Length);
                var c = a.SequenceCompareTo(b);
                if (c != 0) return c;
                if (i - si != j - sj) return (i - si).CompareTo(j - sj);
            }
            else
            {
                if (x[i] != y[j]) return x[i].CompareTo(y[j]);
                i++; j++;
            }
        }
        return (x.Length - i).CompareTo(y.Length - j);
    }
}
