using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// A validated what-if scenario (format: docs/scenarios.md): planned interventions and their uncertainty over the
/// years <c>BaseYear + 1 … BaseYear + Horizon</c>. Immutable and safe to share between threads; only
/// <see cref="ScenarioDocuments.Parse"/> builds one, so every instance has passed the checks that need no store.
/// The checks that need the store are listed in <see cref="StoreChecks"/>.
/// </summary>
/// <param name="Profile">the assessment profile's id (its existence is a store check)</param>
/// <param name="Units">the Kemendagri codes the scenario concerns, as given</param>
/// <param name="Sha256">lowercase hex SHA-256 of the UTF-8 document text (provenance)</param>
/// <param name="Json">the document as loaded</param>
public sealed record Scenario(
    string Id,
    string Version,
    string Title,
    string Description,
    int BaseYear,
    int Horizon,
    string Profile,
    IReadOnlyList<string> Units,
    ulong Seed,
    SamplingRule Sampling,
    IReadOnlyList<Intervention> Interventions,
    IReadOnlyList<StoreCheck> StoreChecks,
    string Sha256,
    string Json)
{
    /// <summary>The years results are given for: BaseYear + 1 … BaseYear + Horizon.</summary>
    public IEnumerable<int> Years => Enumerable.Range(BaseYear + 1, Horizon);

    /// <summary>How a unit-year's score is computed (the <c>scoring</c> key; default profile).</summary>
    public ScenarioScoring Scoring { get; init; } = ScenarioScoring.Profile;

    /// <summary>With <see cref="ScenarioScoring.Ml"/>: the forecast model's version id (the <c>model</c> key); null for
    /// the store's current model at run time.</summary>
    public string? Model { get; init; }

    /// <summary>With <see cref="ScenarioScoring.Ml"/>: whether each draw adds a model error drawn from the model's
    /// residuals (the <c>modelError</c> key; default true). Off, the scores are the model's point predictions.</summary>
    public bool ModelError { get; init; } = true;

    public override string ToString() => $"{Id} {Version} ({Sha256[..12]})";
}

/// <summary>
/// When to stop drawing: once at least <see cref="MinDraws"/> draws are done and the standard error of every headline
/// output is at most <see cref="Tolerance"/>; failing at <see cref="MaxDraws"/>. Draws come in chunks of
/// <see cref="ChunkSize"/> (the last one cut at MaxDraws), each with its own random streams.
/// </summary>
/// <param name="Tolerance">in the headline outputs' unit (score points for scores)</param>
public sealed record SamplingRule(int MinDraws, int MaxDraws, double Tolerance, int ChunkSize)
{
    public static SamplingRule Default { get; } = new(1_000, 100_000, 0.5, 500);

    /// <summary>Throws when the rule is unusable (the scenario reader reports the same conditions as problems).</summary>
    public void Validate()
    {
        if (MinDraws < 2) throw new ArgumentException($"minDraws must be at least 2 (a standard error needs two draws), not {MinDraws}");
        if (MaxDraws < MinDraws) throw new ArgumentException($"maxDraws {MaxDraws} is less than minDraws {MinDraws}");
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance)) throw new ArgumentException($"tolerance must be a positive number, not {Tolerance}");
        if (ChunkSize < 1) throw new ArgumentException($"chunkSize must be at least 1, not {ChunkSize}");
    }
}

/// <summary>How a scenario scores its unit-years (docs/scenarios.md, "Scoring with the ML model").</summary>
public enum ScenarioScoring
{
    /// <summary>The assessment profile's score (the readiness score of the profile).</summary>
    Profile,
    /// <summary>The forecast model's predicted panel score of the unit-year's indicators, plus a model error.</summary>
    Ml,
}

/// <summary>The kinds of intervention (the <c>kind</c> key).</summary>
public enum InterventionKind
{
    FibreRoute,
    Tower,
    Staffing,
    Regulation,
    Masterplan,
    DataCentre,
    CommandCentre,
    Application,
    Adoption,
}

/// <summary>One planned change. <see cref="Start"/> lies in BaseYear … BaseYear + Horizon.</summary>
/// <param name="Completion">probability that the work is completed at all (per segment for fibre, per tower for towers)</param>
/// <param name="Delay">months after 1 January of <see cref="Start"/> until the work starts (the timing)</param>
public abstract record Intervention(string Id, InterventionKind Kind, int Start, double Completion, Distribution Delay);

/// <summary>How a fibre intervention's segments are found.</summary>
public abstract record FibreTarget;

/// <summary>Segments drawn by the planner: one per LineString (per part of a MultiLineString), lon/lat.</summary>
public sealed record DrawnFibre(IReadOnlyList<LineString> Segments) : FibreTarget;

/// <summary>
/// "Connect these village offices": the spatial engine builds the route (minimum spanning tree over the offices and
/// the existing network) and lengthens it by <see cref="DetourFactor"/>.
/// </summary>
/// <param name="Villages">village codes; null means every village of <see cref="Within"/></param>
public sealed record ConnectVillages(IReadOnlyList<string>? Villages, string Within, double DetourFactor) : FibreTarget;

/// <summary>The store's planned fibre routes in <see cref="Within"/>, each one segment.</summary>
public sealed record PlannedFibre(string Within) : FibreTarget;

/// <param name="Duration">months from the start of the work to its completion</param>
/// <param name="CostPerKm">IDR per km of route</param>
/// <param name="Overrun">multiplier on the cost (1 = on budget)</param>
public sealed record FibreRouteIntervention(
    string Id, int Start, FibreTarget Route, double Completion, Distribution Duration, Distribution Delay,
    double CostPerKm, Distribution Overrun)
    : Intervention(Id, InterventionKind.FibreRoute, Start, Completion, Delay);

/// <summary>Where new or upgraded radio coverage comes from.</summary>
public abstract record TowerTarget;

/// <param name="RadiusMetres">coverage radius per technology; a technology without one uses the indicator options' default</param>
public sealed record NewTower(Point Location, IReadOnlyList<RadioTechnology> Technologies, IReadOnlyDictionary<RadioTechnology, double> RadiusMetres);

/// <summary>New towers at points (lon/lat).</summary>
public sealed record NewTowers(IReadOnlyList<NewTower> Towers) : TowerTarget;

/// <summary>Existing towers (by store id) that gain technologies, e.g. 3G → 4G.</summary>
public sealed record TowerUpgrade(IReadOnlyList<string> Towers, IReadOnlyList<RadioTechnology> Add) : TowerTarget;

/// <param name="CostPerTower">IDR per tower built or upgraded</param>
public sealed record TowerIntervention(
    string Id, int Start, TowerTarget Target, double Completion, Distribution Delay, double CostPerTower, Distribution Overrun)
    : Intervention(Id, InterventionKind.Tower, Start, Completion, Delay);

/// <summary>How a questionnaire answer changes.</summary>
public enum FieldChangeOperation
{
    /// <summary>Add <see cref="FieldChange.Value"/> (may be negative) to the answer.</summary>
    Add,
    /// <summary>Set the answer to <see cref="FieldChange.Value"/> (booleans as 1/0).</summary>
    Set,
    /// <summary>Set a year field to the year the change takes effect.</summary>
    SetEffectiveYear,
}

/// <summary>A change of one questionnaire answer.</summary>
public sealed record FieldChange(QuestionnaireField Field, FieldChangeOperation Operation, double Value);

/// <summary>
/// A non-spatial intervention (staffing, regulation, masterplan, data_centre, command_centre, application): changes to
/// questionnaire answers of one unit, taking effect at a sampled time.
/// </summary>
/// <param name="Cost">IDR</param>
public sealed record QuestionnaireIntervention(
    string Id, InterventionKind Kind, int Start, string Unit, IReadOnlyList<FieldChange> Changes, double Completion,
    Distribution Delay, double Cost, Distribution Overrun)
    : Intervention(Id, Kind, Start, Completion, Delay);

/// <summary>
/// The take-up curve that turns newly reached households into fixed-broadband subscribers: the share subscribed
/// <c>t</c> years after a household is first reached (not before <see cref="Intervention.Start"/>) is
/// <c>ceiling / (1 + exp(−rate · (t − midpoint)))</c>.
/// </summary>
/// <param name="Rate">per year, ≥ 0</param>
/// <param name="Midpoint">years after reach at which half the ceiling is reached, ≥ 0</param>
/// <param name="Ceiling">the share that eventually subscribes, 0–1</param>
public sealed record AdoptionIntervention(string Id, int Start, Distribution Rate, Distribution Midpoint, Distribution Ceiling)
    : Intervention(Id, InterventionKind.Adoption, Start, 1, Distribution.Certain(0))
{
    /// <summary>The logistic share for one draw of rate, midpoint and ceiling.</summary>
    public static double Share(double yearsSinceReach, double rate, double midpoint, double ceiling) =>
        yearsSinceReach < 0 ? 0 : ceiling / (1 + Math.Exp(-rate * (yearsSinceReach - midpoint)));
}

/// <summary>What a store-dependent check is about.</summary>
public enum StoreCheckKind
{
    /// <summary><see cref="StoreCheck.Subject"/> is a profile id that must be known (built in or loaded).</summary>
    ProfileExists,
    /// <summary><see cref="StoreCheck.Subject"/> is a unit code the store must hold.</summary>
    UnitExists,
    /// <summary>
    /// <see cref="StoreCheck.Geometry"/> must lie inside the union of the scenario's units
    /// (<see cref="StoreCheck.Units"/>).
    /// </summary>
    GeometryInsideUnits,
    /// <summary><see cref="StoreCheck.Subject"/> is a village code the store must hold; <see cref="StoreCheck.Units"/> is the route's <c>within</c>.</summary>
    VillageExists,
    /// <summary>The store must hold at least one planned fibre route inside the unit <see cref="StoreCheck.Subject"/>.</summary>
    PlannedRoutesExist,
    /// <summary><see cref="StoreCheck.Subject"/> is a tower id the store must hold, inside the scenario's units.</summary>
    TowerExists,
}

/// <summary>
/// A check only the caller can make, because it needs the store or the profile catalogue. The reader lists every one
/// with the path to report a failure at: <c>new ProfileProblem(check.Path, message)</c> (see <see cref="Fail"/>).
/// </summary>
public sealed record StoreCheck(StoreCheckKind Kind, string Path, string? Subject, Geometry? Geometry, IReadOnlyList<string> Units)
{
    /// <summary>The problem to report when the check fails.</summary>
    public ProfileProblem Fail(string message) => new(Path, message);
}

/// <summary>The scenario when the document is valid (no problems), else null and every problem found.</summary>
public sealed record ScenarioParseResult(Scenario? Scenario, IReadOnlyList<ProfileProblem> Problems);

/// <summary>A scenario document that does not validate.</summary>
public sealed class ScenarioValidationException : Exception
{
    public ScenarioValidationException(IReadOnlyList<ProfileProblem> problems)
        : base("invalid scenario:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
    {
        Problems = problems;
    }

    public ScenarioValidationException() : this([]) { }

    public ScenarioValidationException(string message) : base(message) => Problems = [];

    public ScenarioValidationException(string message, Exception inner) : base(message, inner) => Problems = [];

    public IReadOnlyList<ProfileProblem> Problems { get; }
}
