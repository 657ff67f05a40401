import type { FastifyInstance } from 'fastify';
import { FEEDBACK_TYPES, type FeedbackInput } from '../../care/feedback.js';
import { idStringSchema } from '../../core/schemas.js';
import { idParams, type IdParams } from '../request-schemas.js';
import { errorRef, type RouteContext } from './context.js';

const feedbackBody = {
  type: 'object',
  required: ['kind', 'itemId'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: Object.keys(FEEDBACK_TYPES), description: 'not-interested: never show this item; show-less: nor so much like it (its neighbours are demoted)' },
    itemId: idStringSchema,
    at: { type: 'string', format: 'date-time', description: 'When the user said it (default: now)' },
  },
} as const;

const feedbackEffect = {
  type: 'object',
  required: ['kind', 'text'],
  properties: {
    kind: { type: 'string', enum: ['item-removed', 'category-demoted', 'tag-demoted', 'neighbours-demoted'] },
    text: { type: 'string', description: 'What it does, in a sentence for the user' },
    name: { type: 'string', description: 'The category or tag demoted' },
    negatives: { type: 'integer', description: 'Items of that category or tag the user turned down' },
    keeps: { type: 'number', description: "The share of their relevance that category's or tag's items keep" },
    strength: { type: 'number', description: 'Strength of the show-less signal, 0..1 (1 for an explicit show-less)' },
  },
} as const;

const feedbackEntry = {
  type: 'object',
  required: ['itemId', 'types', 'at', 'effects'],
  properties: {
    itemId: idStringSchema,
    title: { type: 'string' },
    types: { type: 'array', items: { type: 'string' }, description: 'Negative event types stored on the item (not_interested, show_less, dislike...), newest first' },
    at: { type: 'string', format: 'date-time', description: 'When the newest of them was given' },
    effects: { type: 'array', items: feedbackEffect, description: 'What it does now; empty when it no longer acts (older than the history window, or personalisation is off)' },
  },
} as const;

const feedbackList = {
  type: 'object',
  required: ['userId', 'feedback'],
  properties: { userId: idStringSchema, feedback: { type: 'array', items: feedbackEntry, description: 'Newest first' } },
} as const;

const itemParams = {
  type: 'object',
  required: ['id', 'itemId'],
  additionalProperties: false,
  properties: { id: idStringSchema, itemId: idStringSchema },
} as const;

const removal = {
  type: 'object',
  required: ['userId', 'itemId', 'removed'],
  properties: { userId: idStringSchema, itemId: idStringSchema, removed: { type: 'integer', description: 'Negative events deleted' } },
} as const;

/**
 * A user's negative feedback (docs/care.md, "Negative feedback"): say it, see it with what it does, take it back.
 *
 * @example feedbackRoutes(app, { engine, maxBatch: 50_000 })
 */
export function feedbackRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route<{ Params: IdParams; Body: FeedbackInput }>({
    method: 'POST',
    url: '/v1/users/:id/feedback',
    schema: {
      operationId: 'giveFeedback',
      summary: '"Not interested" or "show less like this" on an item: from the next list the item is gone and what is like it demoted. 404 for an unknown item',
      tags: ['users'],
      params: idParams,
      body: feedbackBody,
      response: { 201: feedbackEntry, 400: errorRef, 404: errorRef, 501: errorRef },
    },
    handler: async (request, reply) => reply.code(201).send(await engine.feedback(request.params.id, request.body)),
  });

  app.route<{ Params: IdParams }>({
    method: 'GET',
    url: '/v1/users/:id/feedback',
    schema: {
      operationId: 'listFeedback',
      summary: "The user's negative feedback per item, newest first, with what each currently does (item removed, category or tag demoted, neighbours demoted)",
      tags: ['users'],
      params: idParams,
      response: { 200: feedbackList, 400: errorRef },
    },
    handler: async (request) => engine.listFeedback(request.params.id),
  });

  app.route<{ Params: { id: string; itemId: string } }>({
    method: 'DELETE',
    url: '/v1/users/:id/feedback/:itemId',
    schema: {
      operationId: 'deleteFeedback',
      summary: "Take feedback back: deletes the user's negative events on the item; the item and what is like it come back on the next list. 404 when there is none",
      tags: ['users'],
      params: itemParams,
      response: { 200: removal, 400: errorRef, 404: errorRef },
    },
    handler: async (request) => engine.deleteFeedback(request.params.id, request.params.itemId),
  });
}
