/**
 * Lexical analysis for code and prose: {@link dev.quarry.analysis.CodeAnalyzer} splits identifiers
 * (camelCase, snake_case) and keeps the whole too, for indexing and for queries alike.
 */
package dev.quarry.analysis;
