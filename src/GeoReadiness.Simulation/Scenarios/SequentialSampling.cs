using System.Globalization;
using System.Runtime.ExceptionServices;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>An output of a sampled model.</summary>
/// <param name="Headline">whether sampling continues until its standard error is within the tolerance</param>
/// <param name="Tolerance">its own tolerance (e.g. 0.01 for a probability); null: the rule's</param>
public sealed record SampledOutput(string Name, bool Headline = true, double? Tolerance = null)
{
    /// <summary>How its draws are kept for percentiles and probabilities (default: every draw as a double).</summary>
    public DrawStorage Storage { get; init; } = DrawStorage.Exact;

    /// <summary>For <see cref="DrawStorage.Single"/>: the thresholds whose probabilities
    /// (<see cref="OutputStatistics.ProbabilityAtLeast"/>) are counted exactly as the draws are combined.</summary>
    public IReadOnlyList<double> Thresholds { get; init; } = [];

    /// <summary>For <see cref="DrawStorage.Counts"/>: the largest value (values are whole numbers 1 … MaxCount).</summary>
    public int MaxCount { get; init; }
}

/// <summary>
/// One chunk of draws: draws <see cref="FirstDraw"/> … <see cref="FirstDraw"/> + <see cref="Count"/> − 1 of a run.
/// The model fills one row of outputs per draw, taking its random numbers only from <see cref="Random"/>, so the
/// chunk's values depend on nothing but the chunk index, the keys and the root seed. Used by one thread.
/// </summary>
public sealed class SamplingChunk
{
    private readonly Dictionary<string, RandomStream> _streams = new(StringComparer.Ordinal);
    private readonly Stack<double[]>? _buffers;
    private double[]? _values;

    internal SamplingChunk(int index, int firstDraw, int count, ulong rootSeed, int outputs, Stack<double[]>? buffers = null)
    {
        Index = index;
        FirstDraw = firstDraw;
        Count = count;
        RootSeed = rootSeed;
        OutputCount = outputs;
        _buffers = buffers;
    }

    /// <summary>The chunk's rows, from the run's spare buffers when one is free (no fresh pages per chunk), all NaN:
    /// a value the model forgot to write is caught when the chunk is combined.</summary>
    private double[] Values
    {
        get
        {
            if (_values is null)
            {
                if (_buffers is not null)
                    lock (_buffers)
                        _values = _buffers.TryPop(out var spare) && spare.Length >= Count * OutputCount ? spare : null;
                _values ??= new double[Count * OutputCount];
                _values.AsSpan(0, Count * OutputCount).Fill(double.NaN);
            }
            return _values;
        }
    }

    public int Index { get; }
    public int FirstDraw { get; }
    public int Count { get; }
    public ulong RootSeed { get; }
    public int OutputCount { get; }

    /// <summary>
    /// The chunk's stream for <paramref name="key"/> (a unit code, an intervention id, …): <see cref="RandomStream.For"/>
    /// of [chunk index, key, root seed]; the same instance for every call with the same key within this chunk, so
    /// consecutive draws continue the stream.
    /// </summary>
    public RandomStream Random(string key)
    {
        if (!_streams.TryGetValue(key, out var stream))
            _streams.Add(key, stream = RandomStream.For(Index, key, RootSeed));
        return stream;
    }

    /// <summary>The outputs of draw <paramref name="draw"/> of this chunk (0 ≤ draw &lt; Count), in the order of the run's outputs.</summary>
    public Span<double> Outputs(int draw)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(draw);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(draw, Count);
        return Values.AsSpan(draw * OutputCount, OutputCount);
    }

    internal ReadOnlySpan<double> Row(int draw) => Values.AsSpan(draw * OutputCount, OutputCount);

    /// <summary>Per output, this chunk's draws as its storage keeps them (after <see cref="Condense"/>).</summary>
    internal DrawStore[]? Stores { get; private set; }

    /// <summary>The first non-finite value in draw order, then output order (after <see cref="Condense"/>).</summary>
    internal (int Draw, int Output)? FirstNonFinite { get; private set; }

    /// <summary>
    /// Builds <see cref="Stores"/> from the rows: outputs in blocks, each block turned into columns first (so that
    /// the rows are read once, in order). With a non-finite value it notes the first one and keeps no stores.
    /// </summary>
    internal void Condense(IReadOnlyList<SampledOutput> outputs)
    {
        const int Block = 64;
        var values = Values;
        var stores = new DrawStore[OutputCount];
        var columns = new double[Math.Min(Block, OutputCount) * Count];
        for (var from = 0; from < OutputCount; from += Block)
        {
            var width = Math.Min(Block, OutputCount - from);
            for (var d = 0; d < Count; d++)
            {
                var row = values.AsSpan(d * OutputCount + from, width);
                for (var j = 0; j < width; j++) columns[j * Count + d] = row[j];
            }
            for (var j = 0; j < width; j++)
            {
                var column = columns.AsSpan(j * Count, Count);
                for (var d = 0; d < Count; d++)
                    if (!double.IsFinite(column[d]) && (FirstNonFinite is not { } bad || d < bad.Draw))
                        FirstNonFinite = (d, from + j);
                if (FirstNonFinite is null)
                {
                    stores[from + j] = new DrawStore(outputs[from + j]);
                    stores[from + j].Add(column);
                }
            }
        }
        Stores = FirstNonFinite is null ? stores : null;
    }

    /// <summary>Drops the rows (back to the spare buffers) and stores once combined.</summary>
    internal void Release()
    {
        if (_values is not null && _buffers is not null)
            lock (_buffers)
                _buffers.Push(_values);
        _values = null;
        Stores = null;
    }
}

/// <summary>Fills every draw of a chunk. Called concurrently for different chunks.</summary>
public delegate void ChunkDrawer(SamplingChunk chunk);

/// <summary>How a run uses the machine; never changes its results.</summary>
public sealed record SamplingOptions
{
    /// <summary>Chunks drawn at the same time (default: the processor count).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Chunks drawn ahead of the stopping check (default: <see cref="MaxDegreeOfParallelism"/>); chunks drawn past the
    /// stopping point are discarded, so this trades wasted draws for parallelism, never the result.
    /// </summary>
    public int? ChunksAhead { get; init; }

    /// <summary>Receives the number of draws combined so far, after each chunk.</summary>
    public IProgress<int>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }
}

/// <summary>The statistics of every output, by position and by name.</summary>
public sealed record SamplingResult(IReadOnlyList<OutputStatistics> Outputs, int Draws, int Chunks, ulong Seed)
{
    public OutputStatistics this[string name] =>
        Outputs.FirstOrDefault(o => o.Name == name) ?? throw new KeyNotFoundException($"no output '{name}'");
}

/// <summary>Sampling stopped at the maximum number of draws with a headline output still too uncertain.</summary>
public sealed class SamplingToleranceException : Exception
{
    public SamplingToleranceException(string output, int draws, double standardError, double tolerance)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"after {draws} draws the standard error of {output} is {standardError:G4} > tolerance {tolerance:G4}"))
    {
        Output = output;
        Draws = draws;
        StandardError = standardError;
        Tolerance = tolerance;
    }

    public SamplingToleranceException() : base() => Output = "";

    public SamplingToleranceException(string message) : base(message) => Output = "";

    public SamplingToleranceException(string message, Exception inner) : base(message, inner) => Output = "";

    public string Output { get; }
    public int Draws { get; }
    public double StandardError { get; }
    public double Tolerance { get; }
}

/// <summary>
/// Monte-Carlo sampling to a tolerance (docs/scenarios.md, "Sampling"). Draws come in fixed chunks of
/// <see cref="SamplingRule.ChunkSize"/>, each with random streams derived from [chunk, key, root seed]; chunks are
/// drawn in parallel but combined strictly in chunk order, and the stopping rule is checked after each chunk, so the
/// result is byte-identical whatever the parallelism or the scheduling.
/// </summary>
public static class SequentialSampling
{

    /// <summary>
    /// Draws until at least <see cref="SamplingRule.MinDraws"/> draws are combined and the standard error of every
    /// headline output is within its tolerance.
    /// </summary>
    /// <exception cref="SamplingToleranceException">MaxDraws reached with a headline output's standard error above its tolerance</exception>
    public static SamplingResult Run(SamplingRule rule, ulong seed, IReadOnlyList<SampledOutput> outputs, ChunkDrawer draw,
        SamplingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(draw);
        rule.Validate();
        options ??= new SamplingOptions();
        if (outputs.Count == 0)
            throw new ArgumentException("at least one output", nameof(outputs));
        if (outputs.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count() != outputs.Count)
            throw new ArgumentException("output names must be unique", nameof(outputs));
        if (outputs.FirstOrDefault(o => o.Tolerance is { } t && !(t > 0)) is { } bad)
            throw new ArgumentException($"the tolerance of {bad.Name} must be positive", nameof(outputs));
        var parallelism = Math.Max(1, options.MaxDegreeOfParallelism);
        var ahead = Math.Max(1, options.ChunksAhead ?? parallelism);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = options.CancellationToken };

        var moments = new Moments(outputs.Count);
        var buffers = new Stack<double[]>();
        var stores = outputs.Select(o => new DrawStore(o)).ToArray();
        var done = 0;
        var nextChunk = 0;
        while (true)
        {
            // towards the minimum two rounds of the parallelism at a time (so that only a few chunks' rows are held at
            // once), then a few ahead of the check; rounds change nothing but the memory and the waiting
            var toMinimum = done < rule.MinDraws ? (int)(((long)rule.MinDraws - done + rule.ChunkSize - 1) / rule.ChunkSize) : 0;
            var remaining = (int)(((long)rule.MaxDraws - done + rule.ChunkSize - 1) / rule.ChunkSize);
            var count = Math.Min(Math.Max(Math.Min(toMinimum, 2 * parallelism), ahead), remaining);
            var chunks = new SamplingChunk[count];
            for (var i = 0; i < count; i++)
            {
                var index = nextChunk + i;
                var first = (int)((long)index * rule.ChunkSize);
                chunks[i] = new SamplingChunk(index, first, Math.Min(rule.ChunkSize, rule.MaxDraws - first), seed, outputs.Count, buffers);
            }
            DrawAll(chunks, draw, outputs, parallel);

            foreach (var chunk in chunks)
            {
                Combine(chunk, outputs, moments, stores, parallel);
                done += chunk.Count;
                options.Progress?.Report(done);
                if (done < rule.MinDraws)
                    continue;
                var worst = Worst(outputs, moments, rule.Tolerance);
                if (worst is null)
                    return new SamplingResult(Summarise(outputs, moments, stores, parallel), done, chunk.Index + 1, seed);
                if (done >= rule.MaxDraws)
                {
                    var (k, tolerance) = worst.Value;
                    throw new SamplingToleranceException(outputs[k].Name, done, moments.StandardError(k), tolerance);
                }
            }
            nextChunk += count;
        }
    }

    /// <summary>Draws the chunks in parallel; each chunk's drawing thread also condenses its draws per output.</summary>
    private static void DrawAll(SamplingChunk[] chunks, ChunkDrawer draw, IReadOnlyList<SampledOutput> outputs, ParallelOptions parallel)
    {
        try
        {
            Parallel.For(0, chunks.Length, parallel, i =>
            {
                draw(chunks[i]);
                chunks[i].Condense(outputs);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary>
    /// Adds a chunk's draws, in chunk order: the moments row by row (outputs side by side), the stores merged. A
    /// non-finite value fails with the first one in draw order (then output order).
    /// </summary>
    private static void Combine(SamplingChunk chunk, IReadOnlyList<SampledOutput> outputs, Moments moments, DrawStore[] stores, ParallelOptions parallel)
    {
        if (chunk.FirstNonFinite is var (draw, output))
        {
            var value = chunk.Row(draw)[output];
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"draw {chunk.FirstDraw + draw} (chunk {chunk.Index}) gave {value} for {outputs[output].Name}: every output of every draw must be a finite number"));
        }
        moments.Add(chunk, parallel);
        var condensed = chunk.Stores!;
        for (var k = 0; k < stores.Length; k++)
            stores[k].Merge(condensed[k]);
        chunk.Release();
    }

    private static OutputStatistics[] Summarise(IReadOnlyList<SampledOutput> outputs, Moments moments, DrawStore[] stores, ParallelOptions parallel)
    {
        var result = new OutputStatistics[outputs.Count];
        Parallel.For(0, outputs.Count, parallel, k => result[k] = stores[k].Summarise(outputs[k].Name, moments.Of(k)));
        return result;
    }

    /// <summary>The headline output furthest above its tolerance (relative to it), or null when all are within.</summary>
    private static (int Index, double Tolerance)? Worst(IReadOnlyList<SampledOutput> outputs, Moments moments, double tolerance)
    {
        (int, double)? worst = null;
        var worstRatio = 1.0;
        for (var k = 0; k < outputs.Count; k++)
        {
            if (!outputs[k].Headline)
                continue;
            var t = outputs[k].Tolerance ?? tolerance;
            var ratio = moments.StandardError(k) / t;
            if (ratio > worstRatio)
            {
                worstRatio = ratio;
                worst = (k, t);
            }
        }
        return worst;
    }
}
