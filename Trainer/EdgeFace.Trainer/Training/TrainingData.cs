using EdgeFace.Trainer.Data;

namespace EdgeFace.Trainer.Training;

/// <summary>
/// The dataset and image loader a config's <c>data.kind</c> calls for, opened the same way for training and export:
/// "folders" uses the built-in fit+normalise; "signatures" opens a <see cref="SignatureDataset"/> and feeds every
/// image through the Runtime's signature cleaner (<see cref="SignaturePreprocessor"/>). Owns the loader and the
/// preprocessor: dispose it.
/// </summary>
public sealed class TrainingData : IDisposable
{
    private readonly SignaturePreprocessor? _preprocessor;

    private TrainingData(ILabeledDataset data, SampleLoader loader, SignaturePreprocessor? preprocessor)
    {
        Data = data;
        Loader = loader;
        _preprocessor = preprocessor;
    }

    public ILabeledDataset Data { get; }
    public SampleLoader Loader { get; }

    public static TrainingData Open(TrainConfig config, IdentitySelection identities, SampleCache? cache = null, AugmentOptions? augmentation = null)
    {
        var input = RunModel.InputOf(config);
        if (config.Data.Kind != "signatures")
            return new TrainingData(FolderDataset.Open(config.Data.Root, identities), new SampleLoader(input, cache, augmentation), null);
        var data = SignatureDataset.Open(config.Data.Root, writers: identities);
        var preprocessor = new SignaturePreprocessor(config.Input.Mean, config.Input.Std);
        try { return new TrainingData(data, new SampleLoader(input, preprocessor.Preprocess, cache, augmentation), preprocessor); }
        catch { preprocessor.Dispose(); throw; }
    }

    public void Dispose()
    {
        Loader.Dispose();
        _preprocessor?.Dispose();
    }
}
