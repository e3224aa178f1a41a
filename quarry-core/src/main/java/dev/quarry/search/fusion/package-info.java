/** Fusion of ranked lists from different retrievers (lexical and semantic) into one ranking. */
package dev.quarry.search.fusion;
