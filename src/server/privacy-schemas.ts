/**
 * Response schemas of the privacy routes: the erase receipt (DELETE /v1/users/{id}) and the export
 * (GET /v1/users/{id}/export). They document the answers in OpenAPI; answers are serialised with JSON.stringify.
 */

const versionList = { type: 'array', items: { type: 'integer' } } as const;

export const eraseReceiptSchema = {
  type: 'object',
  required: ['userId', 'events', 'user', 'profile', 'carePreferences', 'cachedLists', 'freedSpace', 'cacheInvalidated', 'models', 'embeddings', 'at'],
  properties: {
    userId: { type: 'string' },
    events: { type: 'integer', description: 'Events of the user deleted (reviews, feedback and impressions included)' },
    user: { type: 'boolean', description: 'Whether a user record existed and was deleted' },
    profile: { type: 'boolean', description: 'Whether a stored interest profile existed and was deleted' },
    carePreferences: { type: 'boolean', description: 'Whether stored care preferences existed and were deleted' },
    cachedLists: { type: 'integer', description: "Lists cached for the user in the store's own cache, deleted with the rows" },
    freedSpace: {
      type: 'string',
      enum: ['overwritten', 'wal-pending', 'until-vacuum', 'released'],
      description: 'What happened to the bytes of the deleted rows (docs/privacy.md, "Erase and export")',
    },
    cacheInvalidated: { type: 'integer', description: "Lists cached for the user dropped from the engine's cache" },
    models: {
      type: 'object',
      required: ['deletedVersions', 'keptVersions', 'replacedBy', 'roles', 'influenceGone', 'retrainJobId'],
      properties: {
        deletedVersions: { ...versionList, description: 'Model versions whose user list named the user: deleted (the replaced served version among them)' },
        keptVersions: { ...versionList, description: 'Versions that still hold the user\'s influence until the retraining replaces them (empty when none does)' },
        replacedBy: { type: ['integer', 'null'], description: 'The version built from the served one without the user and served from now on; null when no served version held the user' },
        roles: {
          type: 'array',
          description: 'Per role of the served version: removed exactly now, or kept until the retraining (with why)',
          items: {
            type: 'object',
            required: ['role', 'model', 'removal'],
            properties: {
              role: { type: 'string', description: 'main, popular, similar, ..., channel:<model>, or fusion' },
              model: { type: 'string' },
              removal: { type: 'string', enum: ['exact', 'retrain'] },
              reason: { type: 'string', description: 'Why the role has no exact removal (removal retrain only)' },
            },
          },
        },
        influenceGone: { type: 'string', enum: ['now', 'after-retrain'], description: 'When the user\'s influence on recommendations is gone' },
        retrainJobId: { type: ['string', 'null'], description: 'Job id of the retraining (the version it stores has it as meta.jobId); null when none was needed' },
      },
    },
    embeddings: { type: 'integer', description: 'Embeddings of the user\'s text deleted: always 0 (only item text is embedded)' },
    artifacts: { type: 'integer', description: 'Derived records deleted, when the store keeps any' },
    at: { type: 'string', format: 'date-time' },
  },
} as const;

/** A stored event as the export and the user timeline show it. */
export const storedEvent = {
  type: 'object',
  required: ['id', 'userId', 'itemId', 'type', 'timestamp'],
  properties: {
    id: { type: 'string' },
    userId: { type: 'string' },
    itemId: { type: 'string' },
    type: { type: 'string', description: 'Feedback (not_interested, show_less) and impressions (impression) are events of these types' },
    value: { type: 'number' },
    timestamp: { type: 'string', format: 'date-time' },
    text: { type: 'string', description: 'Review text as sent' },
    sentiment: { type: 'number', description: 'Stored sentiment of the text, −1..1' },
  },
} as const;

export const userExportSchema = {
  type: 'object',
  required: ['userId', 'exportedAt', 'user', 'events', 'profile', 'carePreferences'],
  properties: {
    userId: { type: 'string' },
    exportedAt: { type: 'string', format: 'date-time' },
    user: { description: 'The user record, or null', anyOf: [{ $ref: 'User' }, { type: 'null' }] },
    events: { type: 'array', items: storedEvent, description: 'Every stored event of the user, newest first' },
    profile: { type: ['object', 'null'], description: 'Stored interest profile state (mutes, boosts, interest ids), or null' },
    carePreferences: {
      type: ['object', 'null'],
      additionalProperties: { type: ['number', 'boolean'] },
      description: 'Stored care preferences, or null',
    },
  },
} as const;
