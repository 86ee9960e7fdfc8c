namespace EdgeFace.Runtime.Signatures;

/// <summary>One signature image of a dataset.</summary>
/// <param name="Writer">The writer whose signature it is, or whose signature it imitates.</param>
/// <param name="Genuine">True when written by <paramref name="Writer"/>, false for a skilled forgery.</param>
/// <param name="Forger">The forger's id for a forgery; null for a genuine signature.</param>
/// <param name="Index">The sample number within its writer and forger.</param>
/// <param name="Path">The image file.</param>
public sealed record SignatureSample(int Writer, bool Genuine, int? Forger, int Index, string Path);

/// <summary>A writer's genuine signatures and the skilled forgeries of them, each list in file-name order.</summary>
public sealed record SignatureWriter(int Id, string Split, IReadOnlyList<SignatureSample> Genuine, IReadOnlyList<SignatureSample> Forgeries);
