using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Model;

/// <summary>
/// One capture turned into an embedding: a face from an image or camera frame, or a signature.
/// The store copies what it keeps; the caller keeps ownership of the arrays.
/// </summary>
/// <param name="Embedding">The model's embedding (any norm; the store keeps it as given and normalises aggregates).</param>
/// <param name="Quality">Capture quality (zeros for signatures).</param>
/// <param name="Model">The model that made <paramref name="Embedding"/>.</param>
/// <param name="Source">Where the sample came from, for the operator: a file name or "camera frame 123".</param>
/// <param name="Image">Encoded sample image, only when the operator opted in to storing images; otherwise null.</param>
public sealed record BiometricSample(float[] Embedding, SampleQuality Quality, ModelBinding Model, string Source, byte[]? Image = null)
{
    /// <summary>Checks the embedding is usable: non-empty, finite, not all zero.</summary>
    public void Validate()
    {
        if (Embedding.Length == 0) throw new EdgeFaceException($"{Source}: empty embedding");
        var sum = 0.0;
        foreach (var v in Embedding)
        {
            if (!float.IsFinite(v)) throw new EdgeFaceException($"{Source}: embedding contains a non-finite value");
            sum += v * (double)v;
        }
        if (sum == 0) throw new EdgeFaceException($"{Source}: embedding is all zeros");
    }
}
