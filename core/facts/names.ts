/**
 * Names that say they hold a secret, for the readers (core/facts) and the rules alike: whether a
 * variable, key or argument takes one, whatever the config declares.
 */

/** `JWT_SECRET`, `ENCRYPTION_KEY`, `ADMIN_TOKEN`, `DB_PASSWORD`, `jwt-secret`; not `PUBLIC_KEY`. */
export function secretName(name: string): boolean {
  return /(^|[_-])(secret|key|token)$|password|passwd/i.test(name) && !/public|pub_key|key_id|keyid/i.test(name)
}

/**
 * A name that takes a secret whose written value counts: keys and secrets, not tokens (docs show
 * example tokens all the time); nor a file's or a path's name (`PASSWORD_FILE`, `password_path`),
 * nor a command's that prints the secret (`RCLONE_PASSWORD_COMMAND="pass rclone/config"`).
 */
export function literalSecretName(name: string): boolean {
  return /(^|[_-])(secret|key)$|password|passwd/i.test(name) && !/public|pub_key|key_id|keyid|_file$|_path$|[_-](command|cmd)$/i.test(name) && !recordKey(name)
}

/**
 * A key that names a record or a label, not a secret: a tag's (`--filter tag-key=Environment`),
 * an S3 object's, a DynamoDB table's `hash_key`, `sort_key`, `partition_key`, the name an entry
 * is kept under in a store or a cache (`const STORAGE_KEY = 'open-section'`, `CACHE_KEY`,
 * `QUERY_KEY`), a table's `primary_key`, a tunnel's (Open vSwitch's `tunnel_key=34567`, the
 * VXLAN or GRE id that tags its packets).
 */
function recordKey(name: string): boolean {
  return /(^|[_-])(tag|s3|object|hash|range|sort|partition|storage|cache|query|primary|foreign|tunnel)[_-]?key$/i.test(name)
}
