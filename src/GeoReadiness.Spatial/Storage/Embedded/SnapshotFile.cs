using System.Collections.Immutable;
using System.Security.Cryptography;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoReadiness.Spatial.Storage.Embedded;

/// <summary>
/// The embedded store's file: a compact binary image of one snapshot (geometries as little-endian WKB,
/// attributes as JSON) and its change log, followed by a SHA-256 of everything before it so that a torn or
/// corrupted file is detected at load instead of being half read.
/// </summary>
/// <remarks>
/// Format 2 added the change log after the population cells; a format 1 file still opens, with a log that starts
/// at its data version. Every change rewrites the whole file (≈ 120 MB and a few seconds at national scale): the
/// price of a single self-checking file swapped in atomically.
/// </remarks>
internal static class SnapshotFile
{
    private const string Magic = "GEOREADINESS-EMBEDDED-STORE";
    private const int FormatVersion = 2;
    private const int FirstFormatVersion = 1;

    public static async Task WriteAsync(Snapshot s, string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var hashing = new HashingStream(file, hash))
        // BinaryWriter writes every field on its own: buffered, the hash sees 64 KB blocks instead of millions of
        // 4-byte calls (which cost more than the hashing itself).
        await using (var buffered = new BufferedStream(hashing, 1 << 16))
        await using (var w = new BinaryWriter(buffered, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false);
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(s.DataVersion);
            w.Write(s.UpdatedAt?.UtcTicks ?? -1L);

            w.Write(s.Units.Count);
            for (var i = 0; i < s.Units.Count; i++)
            {
                if ((i & 1023) == 0) ct.ThrowIfCancellationRequested();
                var u = s.Units[i];
                w.Write(u.Code); w.Write(u.Name); w.Write((byte)u.Level); w.Write((byte)u.Kind);
                WriteNullable(w, u.ParentCode); WriteGeometry(w, wkb, u.Geometry);
                WriteNullable(w, u.Population); WriteNullable(w, u.Households);
                w.Write(Attributes.ToJson(u.Attributes));
            }
            w.Write(s.FibreRoutes.Items.Count);
            foreach (var f in s.FibreRoutes.Items)
            {
                w.Write(f.Id); WriteGeometry(w, wkb, f.Geometry); w.Write((byte)f.Status);
                WriteNullable(w, f.Year); WriteNullable(w, f.Owner); WriteNullable(w, f.Name);
            }
            ct.ThrowIfCancellationRequested();
            w.Write(s.Towers.Items.Count);
            foreach (var t in s.Towers.Items)
            {
                w.Write(t.Id); WriteGeometry(w, wkb, t.Location);
                w.Write((byte)t.Technologies.Count);
                foreach (var tech in t.Technologies) w.Write((byte)tech);
                w.Write((byte)t.RadiusMetres.Count);
                foreach (var (tech, r) in t.RadiusMetres) { w.Write((byte)tech); w.Write(r); }
                w.Write(t.CoverageArea is not null);
                if (t.CoverageArea is not null) WriteGeometry(w, wkb, t.CoverageArea);
                WriteNullable(w, t.Operator); WriteNullable(w, t.Year); WriteNullable(w, t.Name);
            }
            ct.ThrowIfCancellationRequested();
            w.Write(s.Facilities.Items.Count);
            foreach (var f in s.Facilities.Items)
            {
                w.Write(f.Id); WriteGeometry(w, wkb, f.Location); w.Write((byte)f.Kind);
                WriteNullable(w, f.UnitCode); WriteNullable(w, f.Name);
            }
            w.Write(s.PopulationCells.Items.Count);
            for (var i = 0; i < s.PopulationCells.Items.Count; i++)
            {
                if ((i & 4095) == 0) ct.ThrowIfCancellationRequested();
                var c = s.PopulationCells.Items[i];
                w.Write(c.Id); WriteGeometry(w, wkb, c.Geometry); w.Write(c.Population); w.Write(c.Households);
            }
            WriteChanges(w, s.Changes);
        }
        await file.WriteAsync(hash.GetHashAndReset(), ct);
        await file.FlushAsync(ct);
        file.Flush(flushToDisk: true);
    }

    public static Snapshot Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 32) throw Corrupt(path, "file too short");
        var body = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw Corrupt(path, "checksum mismatch (torn or modified file)");
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, 0, body.Length, writable: false));
            if (r.ReadString() != Magic) throw Corrupt(path, "not a GeoReadiness store file");
            var format = r.ReadInt32();
            if (format is < FirstFormatVersion or > FormatVersion)
                throw Corrupt(path, $"format version {format} is not supported (expected {FirstFormatVersion} to {FormatVersion})");
            var wkb = new WKBReader(NetTopologySuite.NtsGeometryServices.Instance);
            var version = r.ReadInt64();
            var updatedTicks = r.ReadInt64();

            var units = new AdminUnit[r.ReadInt32()];
            for (var i = 0; i < units.Length; i++)
            {
                units[i] = new AdminUnit
                {
                    Code = r.ReadString(), Name = r.ReadString(), Level = (AdminLevel)r.ReadByte(), Kind = (UnitKind)r.ReadByte(),
                    ParentCode = ReadNullableString(r), Geometry = (MultiPolygon)ReadGeometry(r, wkb),
                    Population = ReadNullableLong(r), Households = ReadNullableLong(r),
                    Attributes = Attributes.FromJson(r.ReadString()),
                };
            }
            var fibre = new FibreRoute[r.ReadInt32()];
            for (var i = 0; i < fibre.Length; i++)
            {
                fibre[i] = new FibreRoute
                {
                    Id = r.ReadString(), Geometry = (MultiLineString)ReadGeometry(r, wkb), Status = (FibreStatus)r.ReadByte(),
                    Year = ReadNullableInt(r), Owner = ReadNullableString(r), Name = ReadNullableString(r),
                };
            }
            var towers = new Tower[r.ReadInt32()];
            for (var i = 0; i < towers.Length; i++)
            {
                var id = r.ReadString();
                var location = (Point)ReadGeometry(r, wkb);
                var techs = ImmutableSortedSet.CreateBuilder<RadioTechnology>();
                for (int n = r.ReadByte(), k = 0; k < n; k++) techs.Add((RadioTechnology)r.ReadByte());
                var radii = ImmutableSortedDictionary.CreateBuilder<RadioTechnology, double>();
                for (int n = r.ReadByte(), k = 0; k < n; k++) radii.Add((RadioTechnology)r.ReadByte(), r.ReadDouble());
                var coverage = r.ReadBoolean() ? (MultiPolygon)ReadGeometry(r, wkb) : null;
                towers[i] = new Tower
                {
                    Id = id, Location = location, Technologies = techs.ToImmutable(), RadiusMetres = radii.ToImmutable(),
                    CoverageArea = coverage, Operator = ReadNullableString(r), Year = ReadNullableInt(r), Name = ReadNullableString(r),
                };
            }
            var facilities = new Facility[r.ReadInt32()];
            for (var i = 0; i < facilities.Length; i++)
            {
                facilities[i] = new Facility
                {
                    Id = r.ReadString(), Location = (Point)ReadGeometry(r, wkb), Kind = (FacilityKind)r.ReadByte(),
                    UnitCode = ReadNullableString(r), Name = ReadNullableString(r),
                };
            }
            var cells = new PopulationCell[r.ReadInt32()];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = new PopulationCell
                {
                    Id = r.ReadString(), Geometry = ReadGeometry(r, wkb), Population = r.ReadInt32(), Households = r.ReadInt32(),
                };
            }
            var changes = format >= 2 ? ReadChanges(r, path) : ChangeHistory.StartingAt(version);
            if (changes.LastVersion != version) throw Corrupt(path, $"the change log ends at version {changes.LastVersion}, the data is version {version}");
            if (r.BaseStream.Position != body.Length) throw Corrupt(path, "unexpected trailing data");
            return new Snapshot(version, updatedTicks < 0 ? null : new DateTimeOffset(updatedTicks, TimeSpan.Zero),
                units, fibre, towers, facilities, cells, changes);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidCastException or ParseException or FormatException or System.Text.Json.JsonException)
        {
            throw Corrupt(path, e.Message);
        }
    }

    private static void WriteChanges(BinaryWriter w, ChangeHistory changes)
    {
        w.Write(changes.Floor);
        w.Write(changes.Entries.Count);
        foreach (var entry in changes.Entries)
        {
            w.Write(entry.Version);
            w.Write(entry.UnitsChanged);
            w.Write((byte)entry.Extents.Count);
            foreach (var e in entry.Extents)
            {
                w.Write((byte)e.Layer);
                w.Write(e.Extent.MinX); w.Write(e.Extent.MaxX); w.Write(e.Extent.MinY); w.Write(e.Extent.MaxY);
                w.Write(e.ReachMetres);
            }
        }
    }

    private static ChangeHistory ReadChanges(BinaryReader r, string path)
    {
        var floor = r.ReadInt64();
        var entries = new ChangeHistory.Entry[r.ReadInt32()];
        for (var i = 0; i < entries.Length; i++)
        {
            var version = r.ReadInt64();
            if (version != floor + 1 + i) throw Corrupt(path, $"change log entry {i} is for version {version}, expected {floor + 1 + i}");
            var unitsChanged = r.ReadBoolean();
            var extents = new ChangedExtent[r.ReadByte()];
            for (var k = 0; k < extents.Length; k++)
            {
                var layer = (FeatureLayer)r.ReadByte();
                if (!Enum.IsDefined(layer)) throw Corrupt(path, $"change log entry {i} names an unknown layer {(int)layer}");
                double minX = r.ReadDouble(), maxX = r.ReadDouble(), minY = r.ReadDouble(), maxY = r.ReadDouble();
                extents[k] = new ChangedExtent(version, layer, new Envelope(minX, maxX, minY, maxY), r.ReadDouble());
            }
            entries[i] = new ChangeHistory.Entry(version, unitsChanged, extents);
        }
        return new ChangeHistory(floor, entries);
    }

    private static InvalidDataException Corrupt(string path, string why) =>
        new($"the embedded store file '{path}' cannot be read: {why}");

    private static void WriteGeometry(BinaryWriter w, WKBWriter wkb, Geometry g)
    {
        var bytes = wkb.Write(g);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static Geometry ReadGeometry(BinaryReader r, WKBReader wkb)
    {
        var g = wkb.Read(r.ReadBytes(r.ReadInt32()));
        return Geo.Factory.CreateGeometry(g);
    }

    private static void WriteNullable(BinaryWriter w, string? s) { w.Write(s is not null); if (s is not null) w.Write(s); }
    private static void WriteNullable(BinaryWriter w, long? v) { w.Write(v.HasValue); if (v.HasValue) w.Write(v.Value); }
    private static void WriteNullable(BinaryWriter w, int? v) { w.Write(v.HasValue); if (v.HasValue) w.Write(v.Value); }
    private static string? ReadNullableString(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
    private static long? ReadNullableLong(BinaryReader r) => r.ReadBoolean() ? r.ReadInt64() : null;
    private static int? ReadNullableInt(BinaryReader r) => r.ReadBoolean() ? r.ReadInt32() : null;

    /// <summary>Passes writes through to the file while feeding them to the hash.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) { hash.AppendData(buffer); inner.Write(buffer); }
        protected override void Dispose(bool disposing) { }   // the file is owned by the caller
    }
}
