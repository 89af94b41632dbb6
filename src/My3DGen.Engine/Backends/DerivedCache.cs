// Values derived from a storage and kept between calls while it is unchanged: the CPU modulated conv's packed and
// Winograd-transformed weights, the demodulation's per-(o, i) weight square sums. A value is rebuilt only when its
// storage's write version moved (Storage.Version), so a frozen weight is prepared once instead of on every call; all
// values of a storage go when it is written or released. Bounded: past a byte cap a value is built for the one call
// and the caller's handle frees it.
using System.Runtime.CompilerServices;

namespace My3DGen.Engine.Backends;

/// <summary>A derived value handed to a caller: use <see cref="Value"/>, then dispose (frees it unless the cache keeps it).</summary>
internal readonly struct Derived<T> : IDisposable where T : class
{
    readonly Action<T>? _free;
    /// <summary>The value.</summary>
    public T Value { get; }
    internal Derived(T value, Action<T>? free) { Value = value; _free = free; }
    /// <summary>Frees a value built for this call only; a cached one stays.</summary>
    public void Dispose() => _free?.Invoke(Value);
}

internal static class DerivedCache
{
    sealed class Entry
    {
        public long Version;
        public readonly Dictionary<object, (object Value, long Bytes, Action<object> Free)> Values = new();
    }

    static readonly ConditionalWeakTable<Storage, Entry> Table = new();
    static long _bytes;

    /// <summary>Bytes the cache may hold over all storages (beyond it values are built per call).</summary>
    internal static long CapBytes { get; set; } = Math.Min(2L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 6);

    /// <summary>Values built on this thread (tests observe that an unchanged storage is not prepared again).</summary>
    [ThreadStatic] internal static int Builds;

    /// <summary>Bytes held now.</summary>
    internal static long HeldBytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// The value <paramref name="key"/> (a record: what it is and the sizes it was built for) derived from
    /// <paramref name="source"/>: the cached one when the storage is unchanged since it was built, else built now by
    /// <paramref name="build"/> (<paramref name="bytes"/> large, freed by <paramref name="free"/>) and kept while the cap
    /// allows. <paramref name="source"/> null: built for this call only.
    /// </summary>
    public static Derived<T> Get<T>(Storage? source, object key, long bytes, Func<T> build, Action<T> free) where T : class
    {
        if (source == null || source.IsReleased) return Transient(build, free);
        var entry = Table.GetOrCreateValue(source);
        lock (entry)
        {
            long version = source.Version;
            if (entry.Version != version) { Clear(entry); entry.Version = version; }
            if (entry.Values.TryGetValue(key, out var held)) return new Derived<T>((T)held.Value, null);
            if (Interlocked.Read(ref _bytes) + bytes > CapBytes) return Transient(build, free);
            Builds++;
            var value = build();
            entry.Values[key] = (value, bytes, o => free((T)o));
            Interlocked.Add(ref _bytes, bytes);
            return new Derived<T>(value, null);
        }
    }

    /// <summary>Drops every value derived from a storage (its last owner released it).</summary>
    public static void Forget(Storage source)
    {
        if (!Table.TryGetValue(source, out var entry)) return;
        lock (entry) Clear(entry);
        Table.Remove(source);
    }

    static Derived<T> Transient<T>(Func<T> build, Action<T> free) where T : class
    {
        Builds++;
        return new Derived<T>(build(), free);
    }

    static void Clear(Entry entry)
    {
        foreach (var (value, bytes, free) in entry.Values.Values)
        {
            free(value);
            Interlocked.Add(ref _bytes, -bytes);
        }
        entry.Values.Clear();
    }
}
