namespace EdgeFace.Trainer.Data;

/// <summary>One image of a dataset: its file, the index of its identity (writer) and, for signatures, whether it is a skilled forgery of that writer.</summary>
public readonly record struct DatasetSample(string Path, int Label, bool IsForgery = false);

/// <summary>
/// A labelled image collection the samplers and loaders work on. Labels are 0..Identities.Count-1 in
/// natural name order. <see cref="SamplesOf"/> lists the indices (into <see cref="Samples"/>) of the images that
/// represent an identity for training; for signatures that is the genuine ones only.
/// </summary>
public interface ILabeledDataset
{
    /// <summary>Where the data came from (folder), for messages.</summary>
    string Root { get; }
    IReadOnlyList<string> Identities { get; }
    IReadOnlyList<DatasetSample> Samples { get; }
    IReadOnlyList<int> SamplesOf(int label);
}
