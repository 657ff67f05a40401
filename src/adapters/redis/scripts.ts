/**
 * The Lua scripts of the redis:// cache. Each runs atomically on the server, so API servers sharing one Redis never
 * see a list without its index entries or an index entry left behind by a removal.
 *
 * Key layout under the prefix P (parts are percent-encoded, so they never contain ':'):
 *   P e:<list>:<subject>:<digest>   the list: "<expiresAt epoch ms or empty>|<JSON { items, createdAt }>"
 *   P il:<list>                     set of the ids ("<list>:<subject>:<digest>") of that list name
 *   P is:<subject>                  set of the ids for that subject
 *   P id:<digest>                   set of the ids made under that digest
 *   P lists                         set of the list names in use (what invalidate({}) walks)
 * The scripts build key names from ARGV, which standalone Redis (and a primary with replicas) allows; Redis Cluster
 * does not, as the keys of one list hash to different slots.
 */

/** Shared Lua: split an id into its three encoded parts. */
const SPLIT_ID = `local function parts(id) return string.match(id, '^([^:]*):([^:]*):([^:]*)$') end`;

/**
 * ARGV: prefix, id, value, ttlMs ('' = none). Writes the list (with a real PEXPIRE as a backstop to the expiry time in
 * its value) and indexes it. The per-subject and per-digest sets live at least as long as their longest-lived member
 * (no expiry when one member has none), so they go away with their lists; list-name sets are few and kept.
 */
export const PUT_SCRIPT = `${SPLIT_ID}
local p, id, value, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local l, s, d = parts(id)
if ttl then redis.call('SET', p .. 'e:' .. id, value, 'PX', ttl) else redis.call('SET', p .. 'e:' .. id, value) end
local function index(k)
  local before = redis.call('PTTL', k)
  redis.call('SADD', k, id)
  if not ttl then
    if before >= 0 then redis.call('PERSIST', k) end
  elseif before == -2 or (before >= 0 and before < ttl) then
    redis.call('PEXPIRE', k, ttl)
  end
end
index(p .. 'is:' .. s)
index(p .. 'id:' .. d)
redis.call('SADD', p .. 'il:' .. l, id)
redis.call('SADD', p .. 'lists', l)
return 1`;

/** Shared Lua: remove the ids in `ids` (lists and index entries); returns how many were live at `now`. */
const DROP = `${SPLIT_ID}
local function drop(p, now, ids)
  local live = 0
  for _, id in ipairs(ids) do
    local l, s, d = parts(id)
    local v = redis.call('GET', p .. 'e:' .. id)
    if v then
      local e = string.match(v, '^(%d*)|')
      if e == '' or tonumber(e) > now then live = live + 1 end
      redis.call('DEL', p .. 'e:' .. id)
    end
    if l then
      redis.call('SREM', p .. 'il:' .. l, id)
      redis.call('SREM', p .. 'is:' .. s, id)
      redis.call('SREM', p .. 'id:' .. d, id)
    end
  end
  return live
end`;

/** ARGV: prefix, now, id... Removes these lists; returns how many were live. */
export const DROP_IDS_SCRIPT = `${DROP}
local ids = {}
for i = 3, #ARGV do ids[#ids + 1] = ARGV[i] end
return drop(ARGV[1], tonumber(ARGV[2]), ids)`;

/**
 * ARGV: prefix, now, setKey... Removes the lists in the intersection of the given index sets (two or three of them:
 * the intersection is bounded by the smallest set); returns how many were live.
 */
export const DROP_INTERSECTION_SCRIPT = `${DROP}
local sets = {}
for i = 3, #ARGV do sets[#sets + 1] = ARGV[i] end
return drop(ARGV[1], tonumber(ARGV[2]), redis.call('SINTER', unpack(sets)))`;

/**
 * ARGV: prefix, list (encoded). Forgets a list name whose set is empty, atomically with respect to a put adding one.
 */
export const FORGET_EMPTY_LIST_SCRIPT = `
local p, l = ARGV[1], ARGV[2]
if redis.call('SCARD', p .. 'il:' .. l) == 0 then redis.call('SREM', p .. 'lists', l) return 1 end
return 0`;

/**
 * ARGV: prefix, id... Index entries whose list Redis has already expired (the PEXPIRE backstop) or evicted are removed
 * from the three index sets; returns how many.
 */
export const PRUNE_SCRIPT = `${SPLIT_ID}
local p, pruned = ARGV[1], 0
for i = 2, #ARGV do
  local id = ARGV[i]
  local l, s, d = parts(id)
  if l and redis.call('EXISTS', p .. 'e:' .. id) == 0 then
    redis.call('SREM', p .. 'il:' .. l, id)
    redis.call('SREM', p .. 'is:' .. s, id)
    redis.call('SREM', p .. 'id:' .. d, id)
    pruned = pruned + 1
  end
end
return pruned`;
