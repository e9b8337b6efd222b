using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Indicators.Embedded;

/// <summary>
/// A uniform lon/lat grid over item boxes: every item is listed in each grid cell its box overlaps, so a point
/// query is one array lookup giving the items whose box may contain the point, in ascending item order.
/// Compressed rows (one offsets array, one items array): no per-cell allocation.
/// </summary>
/// <remarks>Immutable once built; safe for concurrent queries.</remarks>
internal sealed class GridIndex
{
    private const long MaxCells = 8_000_000;
    private readonly double _minX, _minY, _size;
    private readonly int _nx, _ny;
    private readonly int[] _start;
    private readonly int[] _items;

    private GridIndex(double minX, double minY, double size, int nx, int ny, int[] start, int[] items)
    {
        (_minX, _minY, _size, _nx, _ny, _start, _items) = (minX, minY, size, nx, ny, start, items);
    }

    public static GridIndex Empty { get; } = new(0, 0, 1, 1, 1, [0, 0], []);

    /// <param name="boxes">item boxes (null = the item is left out)</param>
    /// <param name="cellSize">grid cell size in degrees; grown when the grid would be too large</param>
    public static GridIndex Build(IReadOnlyList<Envelope?> boxes, double cellSize)
    {
        var bounds = new Envelope();
        foreach (var b in boxes) if (b is not null) bounds.ExpandToInclude(b);
        if (bounds.IsNull) return Empty;
        var size = Math.Max(cellSize, 1e-6);
        while ((long)(bounds.Width / size + 1) * (long)(bounds.Height / size + 1) > MaxCells) size *= 1.5;
        var nx = (int)(bounds.Width / size) + 1;
        var ny = (int)(bounds.Height / size) + 1;
        var counts = new int[(long)nx * ny + 1];
        var grid = new GridIndex(bounds.MinX, bounds.MinY, size, nx, ny, counts, []);
        foreach (var b in boxes)
        {
            if (b is null) continue;
            var (x0, y0, x1, y1) = grid.Range(b);
            for (var y = y0; y <= y1; y++)
                for (var x = x0; x <= x1; x++) counts[y * nx + x + 1]++;
        }
        for (var i = 1; i < counts.Length; i++) counts[i] += counts[i - 1];
        var items = new int[counts[^1]];
        var fill = (int[])counts.Clone();
        for (var i = 0; i < boxes.Count; i++)
        {
            var b = boxes[i];
            if (b is null) continue;
            var (x0, y0, x1, y1) = grid.Range(b);
            for (var y = y0; y <= y1; y++)
                for (var x = x0; x <= x1; x++) items[fill[y * nx + x]++] = i;
        }
        return new GridIndex(bounds.MinX, bounds.MinY, size, nx, ny, counts, items);
    }

    /// <summary>Items whose box may contain (x, y), ascending.</summary>
    public ReadOnlySpan<int> Query(double x, double y)
    {
        var cx = (int)Math.Floor((x - _minX) / _size);
        var cy = (int)Math.Floor((y - _minY) / _size);
        if ((uint)cx >= (uint)_nx || (uint)cy >= (uint)_ny) return [];
        var cell = cy * _nx + cx;
        return _items.AsSpan(_start[cell], _start[cell + 1] - _start[cell]);
    }

    private (int X0, int Y0, int X1, int Y1) Range(Envelope b) =>
        (Clamp((b.MinX - _minX) / _size, _nx), Clamp((b.MinY - _minY) / _size, _ny),
         Clamp((b.MaxX - _minX) / _size, _nx), Clamp((b.MaxY - _minY) / _size, _ny));

    private static int Clamp(double v, int n) => Math.Clamp((int)Math.Floor(v), 0, n - 1);
}
