using System.Globalization;
using System.Text;

namespace GeoReadiness.Simulation.Assessment;

/// <summary>A formula whose syntax is wrong, with the 1-based character position of the problem.</summary>
internal sealed class FormulaSyntaxException(string message, int position)
    : Exception($"syntax error at position {position}: {message}")
{
    public int Position { get; } = position;
}

/// <summary>What an identifier in a formula stands for, decided when the profile is loaded.</summary>
internal enum FormulaNameKind { Questionnaire, Spatial, Indicator, Year }

/// <summary>
/// What a formula reads its names from. A formula yields <see cref="double.NaN"/> when a value it needs is absent;
/// <see cref="Unavailable"/> says why (a scope may keep the reason or drop it).
/// </summary>
internal abstract class FormulaContext
{
    /// <summary>The value of a bound name, or NaN (through <see cref="Unavailable"/>) when it has none.</summary>
    public abstract double Value(Formula.NameNode name);

    /// <summary>NaN, noting <paramref name="reason"/> where the scope keeps reasons.</summary>
    public abstract double Unavailable(string reason);
}

/// <summary>
/// The values one explained evaluation reads, by name. The first reason a value is absent is kept in
/// <see cref="Missing"/>.
/// </summary>
internal sealed class FormulaScope : FormulaContext
{
    public required IReadOnlyDictionary<string, double> Questionnaire { get; init; }
    public required IReadOnlyDictionary<string, GeoReadiness.Spatial.Indicators.IndicatorValue> Spatial { get; init; }
    public required double[] IndicatorRaw { get; init; }
    public required string?[] IndicatorMissing { get; init; }
    public int Year { get; init; }
    public string? Missing { get; set; }

    public override double Unavailable(string reason)
    {
        Missing ??= reason;
        return double.NaN;
    }

    public override double Value(Formula.NameNode name)
    {
        switch (name.Kind)
        {
            case FormulaNameKind.Year:
                return Year;
            case FormulaNameKind.Questionnaire:
                return Questionnaire.TryGetValue(name.Name, out var q)
                    ? q
                    : Unavailable($"questionnaire field {name.Name} not answered");
            case FormulaNameKind.Spatial:
                return !Spatial.TryGetValue(name.Name, out var v) ? Unavailable($"spatial {name.Name} not provided")
                    : v.Value is { } x ? x
                    : Unavailable($"spatial {name.Name} unavailable: {v.Unavailable}");
            default:
                var raw = IndicatorRaw[name.IndicatorIndex];
                return double.IsNaN(raw)
                    ? Unavailable($"indicator {name.Name} unavailable: {IndicatorMissing[name.IndicatorIndex]}")
                    : raw;
        }
    }
}

/// <summary>
/// The values one compiled evaluation reads, by slot (<see cref="CompiledScorer"/>): questionnaire fields and spatial
/// names at their <see cref="Formula.NameNode.Slot"/> in <see cref="Inputs"/> (NaN: absent), indicators' raw values
/// in <see cref="Raw"/>. Keeps no reasons and allocates nothing.
/// </summary>
internal sealed class SlotScope : FormulaContext
{
    public double[] Inputs = [];
    public double[] Raw = [];
    public int Year;

    /// <summary>The input slots read since the last reset (bit s for slot s; a slot ≥ 64 sets every bit).</summary>
    public ulong Read;

    /// <summary>Whether <c>year</c> was read since the last reset.</summary>
    public bool ReadYear;

    public override double Value(Formula.NameNode name)
    {
        switch (name.Kind)
        {
            case FormulaNameKind.Year:
                ReadYear = true;
                return Year;
            case FormulaNameKind.Indicator:
                return Raw[name.IndicatorIndex];
            default:
                return Input(name.Slot);
        }
    }

    public double Input(int slot)
    {
        Read |= slot < 64 ? 1UL << slot : ulong.MaxValue;
        return Inputs[slot];
    }

    public override double Unavailable(string reason) => double.NaN;
}

/// <summary>
/// A parsed formula: numbers, names, + - * /, unary minus, parentheses, comparisons (1/0), and/or/not, min, max, if.
/// Parsed once when the profile loads; evaluation walks the tree (no reflection, no allocation but the reason text).
/// </summary>
internal sealed class Formula
{
    private readonly Node _root;

    private Formula(string text, Node root, IReadOnlyList<NameNode> names)
    {
        Text = text;
        _root = root;
        Names = names;
    }

    public string Text { get; }

    /// <summary>Every identifier occurrence, in order of appearance; bound with <see cref="NameNode.Bind"/>.</summary>
    public IReadOnlyList<NameNode> Names { get; }

    public static Formula Parse(string text)
    {
        var parser = new Parser(text);
        var root = parser.ParseAll();
        return new Formula(text, root, parser.Names);
    }

    /// <summary>The value, or NaN with <see cref="FormulaScope.Missing"/> saying why.</summary>
    public double Evaluate(FormulaContext scope)
    {
        var v = _root.Eval(scope);
        return double.IsNaN(v) || double.IsFinite(v) ? v : scope.Unavailable("the formula gives no finite number");
    }

    internal abstract class Node
    {
        public abstract double Eval(FormulaContext s);
    }

    private sealed class NumberNode(double value) : Node
    {
        public override double Eval(FormulaContext s) => value;
    }

    internal sealed class NameNode(string name, int position) : Node
    {
        public string Name { get; } = name;
        public int Position { get; } = position;
        public FormulaNameKind Kind { get; private set; }
        public int IndicatorIndex { get; private set; } = -1;

        public void Bind(FormulaNameKind kind, int indicatorIndex = -1)
        {
            Kind = kind;
            IndicatorIndex = indicatorIndex;
        }

        /// <summary>The input slot of a questionnaire field or spatial name (<see cref="AssessmentProfile"/> assigns it once).</summary>
        public int Slot { get; internal set; } = -1;

        public override double Eval(FormulaContext s) => s.Value(this);
    }

    private sealed class NegateNode(Node operand) : Node
    {
        public override double Eval(FormulaContext s) => -operand.Eval(s);
    }

    private sealed class NotNode(Node operand) : Node
    {
        public override double Eval(FormulaContext s)
        {
            var v = operand.Eval(s);
            return double.IsNaN(v) ? v : v == 0 ? 1 : 0;
        }
    }

    private sealed class BinaryNode(string op, Node left, Node right) : Node
    {
        public override double Eval(FormulaContext s)
        {
            var a = left.Eval(s);
            if (double.IsNaN(a))
                return a;
            // and/or look at the right side only when it decides the result, so "x > 0 and y / x > 1" is safe
            if (op == "and" && a == 0 || op == "or" && a != 0)
                return op == "or" ? 1 : 0;
            var b = right.Eval(s);
            if (double.IsNaN(b))
                return b;
            return op switch
            {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "/" => b == 0 ? s.Unavailable("division by zero") : a / b,
                "<" => a < b ? 1 : 0,
                "<=" => a <= b ? 1 : 0,
                ">" => a > b ? 1 : 0,
                ">=" => a >= b ? 1 : 0,
                "==" => a == b ? 1 : 0,
                "!=" => a != b ? 1 : 0,
                _ => b != 0 ? 1 : 0, // and / or once the left side did not decide
            };
        }
    }

    private sealed class FunctionNode(string name, Node[] args) : Node
    {
        public override double Eval(FormulaContext s)
        {
            if (name == "if")
            {
                var c = args[0].Eval(s);
                return double.IsNaN(c) ? c : c != 0 ? args[1].Eval(s) : args[2].Eval(s);
            }
            var acc = args[0].Eval(s);
            for (var i = 1; i < args.Length && !double.IsNaN(acc); i++)
            {
                var v = args[i].Eval(s);
                acc = double.IsNaN(v) ? v : name == "min" ? Math.Min(acc, v) : Math.Max(acc, v);
            }
            return acc;
        }
    }

    private sealed class Parser(string text)
    {
        private int _pos;
        public List<NameNode> Names { get; } = [];

        public Node ParseAll()
        {
            var node = ParseOr();
            SkipSpace();
            if (_pos < text.Length)
                throw Error($"unexpected '{text[_pos]}'");
            return node;
        }

        private FormulaSyntaxException Error(string message) => new(message, _pos + 1);

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
                _pos++;
        }

        private bool TryWord(string word)
        {
            SkipSpace();
            var end = _pos + word.Length;
            if (end > text.Length || string.CompareOrdinal(text, _pos, word, 0, word.Length) != 0)
                return false;
            if (end < text.Length && IsNameChar(text[end]))
                return false;
            _pos = end;
            return true;
        }

        private bool TrySymbol(string symbol)
        {
            SkipSpace();
            if (_pos + symbol.Length > text.Length || string.CompareOrdinal(text, _pos, symbol, 0, symbol.Length) != 0)
                return false;
            _pos += symbol.Length;
            return true;
        }

        private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

        private Node ParseOr()
        {
            var left = ParseAnd();
            while (TryWord("or"))
                left = new BinaryNode("or", left, ParseAnd());
            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseNot();
            while (TryWord("and"))
                left = new BinaryNode("and", left, ParseNot());
            return left;
        }

        private Node ParseNot() => TryWord("not") ? new NotNode(ParseNot()) : ParseComparison();

        private static readonly string[] Comparisons = ["<=", ">=", "==", "!=", "<", ">"];

        private Node ParseComparison()
        {
            var left = ParseAdditive();
            foreach (var op in Comparisons)
            {
                if (!TrySymbol(op))
                    continue;
                var node = new BinaryNode(op, left, ParseAdditive());
                SkipSpace();
                if (Comparisons.Any(c => string.CompareOrdinal(text, _pos, c, 0, c.Length) == 0))
                    throw Error("comparisons do not chain; use 'and'");
                return node;
            }
            return left;
        }

        private Node ParseAdditive() => ParseLeftAssociative(ParseMultiplicative, "+", "-");

        private Node ParseMultiplicative() => ParseLeftAssociative(ParseUnary, "*", "/");

        private Node ParseLeftAssociative(Func<Node> operand, string op1, string op2)
        {
            var left = operand();
            while (true)
            {
                if (TrySymbol(op1))
                    left = new BinaryNode(op1, left, operand());
                else if (TrySymbol(op2))
                    left = new BinaryNode(op2, left, operand());
                else
                    return left;
            }
        }

        private Node ParseUnary() => TrySymbol("-") ? new NegateNode(ParseUnary()) : ParsePrimary();

        private Node ParsePrimary()
        {
            SkipSpace();
            if (_pos >= text.Length)
                throw Error("unexpected end of formula");
            var c = text[_pos];
            if (c == '(')
            {
                _pos++;
                var inner = ParseOr();
                Expect(')');
                return inner;
            }
            if (char.IsAsciiDigit(c) || c == '.')
                return ParseNumber();
            if (char.IsAsciiLetter(c) || c == '_')
                return ParseNameOrCall();
            throw Error($"unexpected '{c}'");
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (_pos >= text.Length || text[_pos] != c)
                throw Error($"expected '{c}'");
            _pos++;
        }

        private NumberNode ParseNumber()
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] == '.'))
                _pos++;
            var s = text[start.._pos];
            if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v))
            {
                _pos = start;
                throw Error($"bad number '{s}'");
            }
            return new NumberNode(v);
        }

        private static readonly string[] Reserved = ["and", "or", "not"];

        private Node ParseNameOrCall()
        {
            var start = _pos;
            var sb = new StringBuilder();
            while (_pos < text.Length && IsNameChar(text[_pos]))
                sb.Append(text[_pos++]);
            var name = sb.ToString();
            if (Reserved.Contains(name))
            {
                _pos = start;
                throw Error($"'{name}' needs operands");
            }
            SkipSpace();
            if (_pos < text.Length && text[_pos] == '(')
            {
                _pos++;
                var args = new List<Node>();
                SkipSpace();
                if (_pos < text.Length && text[_pos] == ')')
                    _pos++;
                else
                {
                    do args.Add(ParseOr());
                    while (TrySymbol(","));
                    Expect(')');
                }
                return name switch
                {
                    "min" or "max" when args.Count >= 1 => new FunctionNode(name, [.. args]),
                    "if" when args.Count == 3 => new FunctionNode(name, [.. args]),
                    "min" or "max" => throw new FormulaSyntaxException($"{name}() needs at least one argument", start + 1),
                    "if" => throw new FormulaSyntaxException("if() takes three arguments: if(condition, then, else)", start + 1),
                    _ => throw new FormulaSyntaxException($"unknown function '{name}' (min, max, if)", start + 1),
                };
            }
            var node = new NameNode(name, start + 1);
            Names.Add(node);
            return node;
        }
    }
}
