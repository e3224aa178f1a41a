/** The one configured Jackson {@code ObjectMapper} of quarry-bench, shared by bench and eval. */
package dev.quarry.bench.json;
