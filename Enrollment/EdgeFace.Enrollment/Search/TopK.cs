namespace EdgeFace.Enrollment.Search;

/// <summary>
/// The k best (row, score) pairs seen so far, kept sorted by descending score. Reused across queries
/// (<see cref="Reset"/>), so a search allocates nothing once its buffers have grown to the largest k.
/// </summary>
internal sealed class TopK
{
    private float[] _scores = new float[16];
    private int[] _rows = new int[16];
    private int _k;

    public int Count { get; private set; }

    /// <summary>A score must beat this to enter (−∞ until k entries are held).</summary>
    public float Threshold => Count < _k ? float.NegativeInfinity : _scores[_k - 1];

    public ReadOnlySpan<float> Scores => _scores.AsSpan(0, Count);
    public ReadOnlySpan<int> Rows => _rows.AsSpan(0, Count);

    public void Reset(int k)
    {
        if (k > _scores.Length)
        {
            _scores = new float[k];
            _rows = new int[k];
        }
        _k = k;
        Count = 0;
    }

    public void Offer(int row, float score)
    {
        if (Count == _k)
        {
            if (!(score > _scores[_k - 1])) return;
            Count--;
        }
        var i = Count;
        while (i > 0 && _scores[i - 1] < score)
        {
            _scores[i] = _scores[i - 1];
            _rows[i] = _rows[i - 1];
            i--;
        }
        _scores[i] = score;
        _rows[i] = row;
        Count++;
    }

    public void MergeFrom(TopK other)
    {
        for (var i = 0; i < other.Count; i++) Offer(other._rows[i], other._scores[i]);
    }
}
