/**
 * The one upsert of an id map entry, shared by the store and by the journal (which writes it in
 * the same transaction as a row's outcome). Parameters: endpoint, tenant, mapping, key, object,
 * id, run_id, updated_at.
 */
export const ID_MAP_UPSERT = `INSERT INTO id_map (endpoint, tenant, mapping, key, object, id, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (endpoint, tenant, mapping, key) DO UPDATE SET object = excluded.object, id = excluded.id,
    run_id = excluded.run_id, updated_at = excluded.updated_at`;

/** Forget the id map entries that name a deleted record. Parameters: endpoint, tenant, object, id. */
export const ID_MAP_FORGET = 'DELETE FROM id_map WHERE endpoint = ? AND tenant = ? AND object = ? AND id = ?';
