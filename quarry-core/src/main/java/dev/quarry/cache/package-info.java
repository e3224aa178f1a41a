/**
 * The embedding cache: vectors by model and chunk content hash, in tiers (memory, a local disk
 * store shared by every index of the user, optionally a shared server), so a chunk is embedded once
 * per model, whatever index, branch or machine asks for it again.
 */
package dev.quarry.cache;
