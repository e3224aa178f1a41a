package dev.quarry.chunk;

import dev.quarry.extract.ExtractedDocument;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSTree;

/**
 * Chunks source code along its syntax (tree-sitter): a chunk starts at a definition (function,
 * method, class, impl, ...), small neighbours (imports, fields, short functions) are merged up to
 * the token budget, and a definition too large for one chunk is split at its inner definitions (the
 * methods of a class), or by lines when it has none. Each chunk inside a split definition carries
 * the enclosing signatures as its context ("class Foo > void bar(int x)"), which is embedded and
 * indexed with the text, so a method's chunk still says whose method it is.
 *
 * <p>Chunks keep the line chunker's guarantees: they cover every non-blank line, stay within the
 * budget and carry exact line ranges (pieces are whole lines, never parts of one). Languages
 * without a grammar ({@link SyntaxGrammars}) go to the line chunker; so does a file whose syntax
 * errors span more than a quarter of it (see {@link #mostlyBroken}) or whose grammar fails to load,
 * counted in {@link #fallbacks}, and a file over {@link #MAX_SYNTAX_CHARS} (not counted).
 * Thread-safe: a parser is made per file.
 */
final class SyntaxChunker implements Chunker {
  /** Nested definitions deeper than this are packed by lines (pathological nesting). */
  private static final int MAX_DEPTH = 8;

  /** The most characters of one signature in a context, before token fitting. */
  private static final int MAX_SIGNATURE_CHARS = 200;

  private static final String SEPARATOR = " > ";

  /**
   * A file is chunked by lines when the top-level nodes holding syntax errors span more than one
   * row in this many.
   */
  private static final int MAX_BROKEN_SHARE_DENOMINATOR = 4;

  /**
   * Larger files go to the line chunker: a syntax tree (native memory, outside the heap budget the
   * workers share) grows with the file, while the line chunker streams. Hand-written sources are
   * far smaller; what exceeds this is generated or minified, where syntax chunks gain little.
   */
  static final int MAX_SYNTAX_CHARS = 1 << 20;

  private final Tokenizer tokenizer;
  private final ChunkingPolicy policy;
  private final LineChunker lines;
  private final LongAdder fallbacks = new LongAdder();
  private final Runnable onFallback;
  private final Function<String, SyntaxGrammars.Grammar> grammars;

  SyntaxChunker(Tokenizer tokenizer, ChunkingPolicy policy) {
    this(tokenizer, policy, () -> {});
  }

  /** {@code onFallback} is told of each file chunked by lines because it did not parse. */
  SyntaxChunker(Tokenizer tokenizer, ChunkingPolicy policy, Runnable onFallback) {
    this(tokenizer, policy, onFallback, SyntaxGrammars::forLanguage);
  }

  /**
   * With {@code grammars} giving a language's loaded grammar, or null when it failed to load (a
   * test stands in for a platform without the native library).
   */
  SyntaxChunker(
      Tokenizer tokenizer,
      ChunkingPolicy policy,
      Runnable onFallback,
      Function<String, SyntaxGrammars.Grammar> grammars) {
    this.tokenizer = tokenizer;
    this.policy = policy;
    this.lines = new LineChunker(tokenizer, policy);
    this.onFallback = onFallback;
    this.grammars = grammars;
  }

  /** Files of a language with a grammar that were chunked by lines instead (parse failures). */
  long fallbacks() {
    return fallbacks.sum();
  }

  @Override
  public List<Chunk> chunk(String path, ExtractedDocument document) {
    if (!SyntaxGrammars.supports(document.language())
        || document.text().length() > MAX_SYNTAX_CHARS) {
      return lines.chunk(path, document);
    }
    SyntaxGrammars.Grammar grammar = grammars.apply(document.language());
    List<Chunk> chunks = grammar == null ? null : bySyntax(path, document, grammar);
    if (chunks == null) {
      fallbacks.increment();
      onFallback.run();
      return lines.chunk(path, document);
    }
    return chunks;
  }

  /** The chunks of a clean parse, or null when the file does not parse cleanly. */
  private List<Chunk> bySyntax(String path, ExtractedDocument document, SyntaxGrammars.Grammar g) {
    try (TSParser parser = new TSParser()) {
      TSTree tree;
      try {
        tree =
            parser.setLanguage(g.tsLanguage()) ? parser.parseString(null, document.text()) : null;
      } catch (RuntimeException e) {
        return null; // the bindings refused this text: it still gets chunked, by lines
      }
      if (tree == null) {
        return null;
      }
      try (tree) {
        TSNode root = tree.getRootNode();
        if (root.isNull() || mostlyBroken(root)) {
          return null;
        }
        List<Chunk> out = new ArrayList<>();
        new Packing(path, document, g, out).run(root);
        return out;
      }
    }
  }

  /**
   * Whether the nodes holding syntax errors span more than a quarter of the file's rows. A few
   * local errors (a macro the grammar cannot read, a construct newer than the grammar) only cost
   * the boundaries near them: pieces tile the lines whatever the tree, so coverage and budget hold;
   * past that share the tree says too little to chunk by.
   */
  private static boolean mostlyBroken(TSNode root) {
    long rows = root.getEndPoint().getRow() + 1L;
    return brokenRows(root, 0) * MAX_BROKEN_SHARE_DENOMINATOR > rows;
  }

  /**
   * Rows of {@code node} under syntax errors: followed down through the children that hold them (a
   * whole file inside one {@code #if} is not broken by one bad line), down to the error itself, or
   * to the node whose own tokens are wrong, or {@link #MAX_DEPTH} levels.
   */
  private static long brokenRows(TSNode node, int depth) {
    if (!node.hasError()) {
      return 0;
    }
    long own = node.getEndPoint().getRow() - node.getStartPoint().getRow() + 1L;
    if (node.isError() || node.isMissing() || depth >= 4 * MAX_DEPTH) {
      return own;
    }
    long inChildren = 0;
    for (int i = 0; i < node.getNamedChildCount(); i++) {
      inChildren += brokenRows(node.getNamedChild(i), depth + 1);
    }
    return inChildren > 0 ? inChildren : own;
  }

  /** One file's chunking: its line table and the chunks made so far. */
  private final class Packing {
    private final String text;
    private final SyntaxGrammars.Grammar grammar;
    private final LinePacker packer;

    /** Char offset where each line starts; one extra entry: the end, as if a newline followed. */
    private final int[] lineStarts;

    private final int[] lineTokens;
    private final int maxChunkChars;

    Packing(
        String path, ExtractedDocument document, SyntaxGrammars.Grammar grammar, List<Chunk> out) {
      this.text = document.text();
      this.grammar = grammar;
      this.packer = new LinePacker(path, document, tokenizer, policy, out);
      this.maxChunkChars = packer.maxChunkChars();
      int count = 1;
      for (int c = 0; c < text.length(); c++) {
        if (text.charAt(c) == '\n') {
          count++;
        }
      }
      lineStarts = new int[count + 1];
      int line = 1;
      for (int c = 0; c < text.length(); c++) {
        if (text.charAt(c) == '\n') {
          lineStarts[line++] = c + 1;
        }
      }
      lineStarts[count] = text.length() + 1;
      lineTokens = new int[count];
      Arrays.fill(lineTokens, -1);
    }

    void run(TSNode root) {
      pack(pieces(root, 0, lineCount() - 1), "", 0, 0);
    }

    private int lineCount() {
      return lineStarts.length - 1;
    }

    /**
     * Rows [start, end] (0-based, inclusive) of a container, with the children of the syntax tree
     * that start in them. Pieces of one container tile its rows: blank lines and closing braces
     * belong to the piece before them.
     */
    private record Piece(int start, int end, List<TSNode> nodes) {}

    /**
     * Splits rows [from, to] into pieces, one per named child of {@code container} that starts on a
     * new row; the rows before the first child (a class's header) are a piece of their own. A
     * comment directly above a definition (or another such comment) stays with it.
     */
    private List<Piece> pieces(TSNode container, int from, int to) {
      List<Integer> starts = new ArrayList<>();
      List<List<TSNode>> nodes = new ArrayList<>();
      starts.add(from);
      nodes.add(new ArrayList<>());
      // Whether the last piece holds only comments so far: a definition right below joins it.
      boolean commentRun = false;
      int commentEnd = -1;
      // The last row of the last piece's nodes: a node starting on it ("} // end") joins them.
      int lastEnd = -1;
      int count = container.getNamedChildCount();
      for (int i = 0; i < count; i++) {
        TSNode child = container.getNamedChild(i);
        int row = child.getStartPoint().getRow();
        if (row > to) {
          break;
        }
        int last = starts.size() - 1;
        boolean comment = isComment(child);
        boolean joins =
            row <= starts.get(last)
                || row <= lastEnd
                || (commentRun
                    && commentEnd >= row - 1
                    && (comment || grammar.isDefinition(child.getType())));
        if (joins) {
          nodes.get(last).add(child);
          commentRun = commentRun && comment;
        } else {
          starts.add(row);
          List<TSNode> own = new ArrayList<>();
          own.add(child);
          nodes.add(own);
          commentRun = comment;
        }
        commentEnd = endRow(child);
        lastEnd = Math.max(joins ? lastEnd : -1, commentEnd);
      }
      List<Piece> pieces = new ArrayList<>(starts.size());
      for (int p = 0; p < starts.size(); p++) {
        int end = p + 1 < starts.size() ? starts.get(p + 1) - 1 : to;
        if (starts.get(p) <= end) {
          pieces.add(new Piece(starts.get(p), end, nodes.get(p)));
        }
      }
      return pieces;
    }

    /**
     * Emits {@code pieces} in order, merging neighbours that fit together, and splitting each one
     * that does not fit alone.
     */
    private void pack(List<Piece> pieces, String context, int contextTokens, int depth) {
      int budget = Math.max(8, policy.maxTokens() - contextTokens);
      int charBudget = Math.max(budget, maxChunkChars - context.length());
      int groupStart = -1;
      int groupEnd = -1;
      int groupTokens = 0;
      // Whether the pending group is only a container's header ("namespace x {"): it then opens
      // the split of a too-large piece after it, instead of being a chunk of one line.
      boolean groupIsHeader = false;
      for (Piece piece : pieces) {
        int s = piece.start();
        int e = piece.end();
        while (s <= e && isBlank(s)) {
          s++;
        }
        while (e >= s && isBlank(e)) {
          e--;
        }
        if (s > e) {
          continue;
        }
        int tokens = tokens(s, e);
        if (tokens > budget || chars(s, e) > charBudget) {
          int from = s;
          if (groupStart >= 0 && groupIsHeader) {
            from = groupStart;
          } else if (groupStart >= 0) {
            emit(groupStart, groupEnd, context);
          }
          groupStart = -1;
          split(new Piece(from, e, piece.nodes()), context, depth);
        } else if (groupStart >= 0
            && groupTokens + tokens <= budget
            && chars(groupStart, e) <= charBudget) {
          groupEnd = e;
          groupTokens += tokens;
          groupIsHeader &= piece.nodes().isEmpty();
        } else {
          if (groupStart >= 0) {
            emit(groupStart, groupEnd, context);
          }
          groupStart = s;
          groupEnd = e;
          groupTokens = tokens;
          groupIsHeader = piece.nodes().isEmpty();
        }
      }
      if (groupStart >= 0) {
        emit(groupStart, groupEnd, context);
      }
    }

    /**
     * A piece too large for one chunk: into its largest node's inner definitions when it has some,
     * else by lines, with the node's signature added to the context either way.
     */
    private void split(Piece piece, String context, int depth) {
      TSNode node = unwrap(largest(piece.nodes()));
      TSNode container = node == null || depth >= MAX_DEPTH ? null : innerContainer(node);
      String signature =
          node == null
              ? ""
              : signature(node, container != null ? container : node.getChildByFieldName("body"));
      String inner = fitContext(join(context, signature));
      int innerTokens = inner.isEmpty() ? 0 : tokenizer.countTokens(inner);
      if (container != null) {
        List<Piece> pieces = pieces(container, piece.start(), piece.end());
        if (pieces.size() > 1) {
          pack(pieces, inner, innerTokens, depth + 1);
          return;
        }
      }
      packer.pack(
          lineStarts[piece.start()],
          lineStarts[piece.end() + 1],
          piece.start() + 1,
          inner,
          innerTokens);
    }

    /** The node of {@code nodes} spanning the most rows, or null when there is none. */
    private TSNode largest(List<TSNode> nodes) {
      TSNode best = null;
      int bestRows = -1;
      for (TSNode n : nodes) {
        int rows = endRow(n) - n.getStartPoint().getRow();
        if (rows > bestRows) {
          best = n;
          bestRows = rows;
        }
      }
      return best;
    }

    /**
     * The definition a wrapper stands for: a decorated definition, an export, a template, whose
     * single definition child ends where the wrapper does.
     */
    private TSNode unwrap(TSNode node) {
      if (node == null) {
        return null;
      }
      TSNode current = node;
      for (int guard = 0; guard < 4; guard++) {
        TSNode only = null;
        int definitions = 0;
        for (int i = 0; i < current.getNamedChildCount(); i++) {
          TSNode child = current.getNamedChild(i);
          if (grammar.isDefinition(child.getType())) {
            definitions++;
            only = child;
          }
        }
        if (definitions != 1 || endRow(only) != endRow(current)) {
          return current;
        }
        current = only;
      }
      return current;
    }

    /**
     * The node within {@code node} (breadth first, a few levels down) whose named children include
     * a definition: a class's body, an impl's declaration list. Null when there is none.
     */
    private TSNode innerContainer(TSNode node) {
      Deque<TSNode> queue = new ArrayDeque<>();
      Deque<Integer> levels = new ArrayDeque<>();
      queue.add(node);
      levels.add(0);
      while (!queue.isEmpty()) {
        TSNode n = queue.poll();
        int level = levels.poll();
        int count = n.getNamedChildCount();
        for (int i = 0; i < count; i++) {
          if (grammar.isDefinition(n.getNamedChild(i).getType())) {
            return n;
          }
        }
        if (level < 3) {
          for (int i = 0; i < count; i++) {
            queue.add(n.getNamedChild(i));
            levels.add(level + 1);
          }
        }
      }
      return null;
    }

    /**
     * The header of {@code node}: its rows up to where {@code body} starts (that row too when the
     * body starts on it, as a brace does), whitespace collapsed, without a trailing "{" or ":".
     * Only the first row when there is no body.
     */
    private String signature(TSNode node, TSNode body) {
      if (node.getType().startsWith("preproc")) {
        return ""; // "#if !defined(X)" says nothing of what the code inside is
      }
      int first = node.getStartPoint().getRow();
      int last = first;
      if (body != null && !body.isNull()) {
        int bodyRow = body.getStartPoint().getRow();
        boolean bodyOwnsRow =
            bodyRow > first && body.getStartPoint().getColumn() <= firstNonBlankColumn(bodyRow);
        last = Math.max(first, Math.min(bodyOwnsRow ? bodyRow - 1 : bodyRow, first + 3));
      }
      String header =
          text.substring(lineStarts[first], Math.max(lineStarts[first], lineStarts[last + 1] - 1))
              .replaceAll("\\s+", " ")
              .strip();
      while (header.endsWith("{") || header.endsWith(":")) {
        header = header.substring(0, header.length() - 1).strip();
      }
      return header.length() > MAX_SIGNATURE_CHARS
          ? header.substring(0, MAX_SIGNATURE_CHARS)
          : header;
    }

    private int firstNonBlankColumn(int row) {
      int c = lineStarts[row];
      int end = lineStarts[row + 1] - 1;
      while (c < end && Character.isWhitespace(text.charAt(c))) {
        c++;
      }
      return c - lineStarts[row];
    }

    private String join(String context, String signature) {
      if (signature.isEmpty()) {
        return context;
      }
      return context.isEmpty() ? signature : context + SEPARATOR + signature;
    }

    /** Cuts a context to the policy's budget, keeping its end (the innermost signature). */
    private String fitContext(String context) {
      if (context.isEmpty()) {
        return context;
      }
      TokenSpans spans = tokenizer.tokenize(context);
      int excess = spans.count() - policy.maxContextTokens();
      return excess <= 0 ? context : context.substring(spans.start(excess)).strip();
    }

    private void emit(int startRow, int endRow, String context) {
      packer.add(
          startRow + 1,
          endRow + 1,
          context,
          text.substring(lineStarts[startRow], lineStarts[endRow + 1] - 1));
    }

    private int endRow(TSNode node) {
      int row = node.getEndPoint().getRow();
      // A node ending with its newline ends at column 0 of the next row.
      return row > node.getStartPoint().getRow() && node.getEndPoint().getColumn() == 0
          ? row - 1
          : row;
    }

    private boolean isBlank(int row) {
      return LinePacker.isBlankText(text, lineStarts[row], lineStarts[row + 1] - 1);
    }

    private int chars(int startRow, int endRow) {
      return lineStarts[endRow + 1] - 1 - lineStarts[startRow];
    }

    /** Tokens of rows [startRow, endRow]; a line too long for any chunk counts as over budget. */
    private int tokens(int startRow, int endRow) {
      long sum = 0;
      for (int row = startRow; row <= endRow; row++) {
        if (lineTokens[row] < 0) {
          int from = lineStarts[row];
          int to = lineStarts[row + 1] - 1;
          lineTokens[row] =
              to - from > maxChunkChars
                  ? policy.maxTokens() + 1
                  : LinePacker.isBlankText(text, from, to)
                      ? 0
                      : tokenizer.countTokens(text.substring(from, to));
        }
        sum += lineTokens[row];
      }
      return (int) Math.min(Integer.MAX_VALUE, sum);
    }

    private boolean isComment(TSNode node) {
      return node.getType().contains("comment");
    }
  }
}
