/**
 * Per-genre word lists for the synthetic book catalogue. Each genre has three sub-themes so that, within a genre,
 * readers who prefer one sub-theme form their own neighbourhood (structure a recommender can learn).
 */

export interface GenreVocabulary {
  key: string;
  label: string;
  adjectives: readonly string[];
  /** Title nouns. */
  nouns: readonly string[];
  people: readonly string[];
  places: readonly string[];
  themes: readonly string[];
  /** Verb phrases: "<person> <plot> in <place>." */
  plots: readonly string[];
  tags: readonly string[];
  subThemes: readonly string[];
}

export const GENRES: readonly GenreVocabulary[] = [
  {
    key: 'fantasy', label: 'Fantasy',
    adjectives: ['Hollow', 'Silver', 'Forgotten', 'Burning', 'Endless', 'Iron', 'Whispering', 'Crowned'],
    nouns: ['Crown', 'Dragon', 'Sword', 'Throne', 'Spellbook', 'Oath', 'Tower', 'Heir', 'Rune', 'Citadel'],
    people: ['a reluctant squire', 'an exiled queen', 'a hedge witch', 'the last dragon rider', 'a thief with a cursed ring', 'two rival mages'],
    places: ['the shattered kingdoms', 'a city built on a giant', 'the northern marshes', 'an enchanted forest', 'the sunken isles', 'a mountain monastery'],
    themes: ['loyalty', 'forbidden magic', 'destiny', 'betrayal', 'courage', 'the price of power'],
    plots: ['hunts for a stolen crown', 'breaks an ancient curse', 'leads a rebellion', 'guards a sleeping god', 'crosses a war-torn realm', 'bargains with the fae'],
    tags: ['magic', 'dragons', 'quest', 'world-building', 'swords and sorcery'],
    subThemes: ['epic quest', 'urban fantasy', 'fairy tale retelling'],
  },
  {
    key: 'science-fiction', label: 'Science Fiction',
    adjectives: ['Quantum', 'Distant', 'Silent', 'Red', 'Synthetic', 'Orbital', 'Last', 'Dark'],
    nouns: ['Star', 'Signal', 'Colony', 'Machine', 'Horizon', 'Protocol', 'Drift', 'Nebula', 'Station', 'Engine'],
    people: ['a ship AI', 'a stranded engineer', 'a clone detective', 'the first contact team', 'a smuggler pilot', 'a terraforming crew'],
    places: ['a generation ship', 'the moons of Saturn', 'a flooded megacity', 'a research station on Europa', 'the edge of the galaxy', 'a Martian colony'],
    themes: ['artificial minds', 'first contact', 'survival', 'time', 'what makes us human', 'the cost of progress'],
    plots: ['decodes an alien signal', 'wakes from cryosleep', 'uncovers a corporate conspiracy', 'repairs a failing reactor', 'negotiates with a hive mind', 'outruns a collapsing star'],
    tags: ['space', 'aliens', 'robots', 'future', 'hard science'],
    subThemes: ['space opera', 'cyberpunk', 'near-future thriller'],
  },
  {
    key: 'mystery', label: 'Mystery',
    adjectives: ['Crooked', 'Quiet', 'Missing', 'Seventh', 'Locked', 'Poisoned', 'Cold', 'Secret'],
    nouns: ['Clue', 'Alibi', 'Witness', 'Garden', 'Key', 'Inheritance', 'Letter', 'Vicarage', 'Harbour', 'Portrait'],
    people: ['a retired inspector', 'a nosy librarian', 'a young forensic chemist', 'a village baker', 'a private detective', 'two elderly sisters'],
    places: ['a seaside village', 'a snowbound manor', 'a foggy harbour town', 'an Oxford college', 'a country railway', 'a cathedral close'],
    themes: ['old secrets', 'family grudges', 'justice', 'deception', 'small-town gossip', 'buried guilt'],
    plots: ['investigates a poisoning', 'finds a body in the library', 'unmasks a forger', 'reopens a cold case', 'solves a locked-room puzzle', 'traces a missing heiress'],
    tags: ['whodunit', 'detective', 'puzzle', 'murder', 'investigation'],
    subThemes: ['cozy mystery', 'police procedural', 'golden-age puzzle'],
  },
  {
    key: 'thriller', label: 'Thriller',
    adjectives: ['Deadly', 'Final', 'Hidden', 'Black', 'Burning', 'Silent', 'Broken', 'Zero'],
    nouns: ['Target', 'Cipher', 'Agent', 'Deadline', 'Asset', 'Hostage', 'Dossier', 'Countdown', 'Safehouse', 'Verdict'],
    people: ['a disgraced spy', 'a hacker on the run', 'a hostage negotiator', 'a war correspondent', 'a rookie prosecutor', 'an undercover agent'],
    places: ['Berlin', 'a locked-down embassy', 'the Istanbul bazaar', 'a remote Arctic base', 'Washington', 'a cargo ship at sea'],
    themes: ['trust', 'surveillance', 'revenge', 'conspiracy', 'survival', 'moral compromise'],
    plots: ['races to stop an attack', 'exposes a mole', 'escapes a manhunt', 'protects a key witness', 'steals a list of names', 'defuses a political crisis'],
    tags: ['suspense', 'espionage', 'action', 'twists', 'page-turner'],
    subThemes: ['spy thriller', 'legal thriller', 'psychological suspense'],
  },
  {
    key: 'romance', label: 'Romance',
    adjectives: ['Sweet', 'Summer', 'Unexpected', 'Second', 'Perfect', 'Wild', 'Little', 'Golden'],
    nouns: ['Heart', 'Promise', 'Wedding', 'Bakery', 'Letter', 'Season', 'Kiss', 'Bookshop', 'Vineyard', 'Chance'],
    people: ['a florist', 'a grumpy chef', 'a wedding planner', 'childhood friends', 'a rival architect', 'a widowed vet'],
    places: ['a Cornish village', 'a Tuscan vineyard', 'a small-town bookshop', 'a Scottish island', 'New York', 'a ski lodge'],
    themes: ['second chances', 'family', 'starting over', 'friendship', 'home', 'falling in love'],
    plots: ['inherits a crumbling cottage', 'plans a rival\'s wedding', 'fakes an engagement', 'returns home for the summer', 'opens a bakery', 'writes anonymous letters'],
    tags: ['love story', 'feel-good', 'heartwarming', 'relationships', 'happy ending'],
    subThemes: ['rom-com', 'small-town romance', 'historical romance'],
  },
  {
    key: 'historical', label: 'Historical Fiction',
    adjectives: ['Last', 'Winter', 'Painted', 'Paper', 'Lost', 'Imperial', 'Bright', 'Wartime'],
    nouns: ['Orchard', 'Empire', 'Daughter', 'Tapestry', 'Frontier', 'Ledger', 'Harvest', 'Bridge', 'Court', 'Song'],
    people: ['a codebreaker', 'a Tudor lady-in-waiting', 'a silk merchant', 'a field nurse', 'a Roman scribe', 'a lighthouse keeper\'s daughter'],
    places: ['occupied Paris', 'Renaissance Florence', 'the Tudor court', 'the Silk Road', 'Victorian London', 'the American frontier'],
    themes: ['war', 'memory', 'resilience', 'empire', 'class', 'survival'],
    plots: ['hides refugees', 'serves a dangerous king', 'crosses the ocean', 'keeps a family secret', 'fights for a place at court', 'rebuilds after the war'],
    tags: ['history', 'period drama', 'war', 'epic', 'family saga'],
    subThemes: ['world war two', 'ancient world', 'tudor era'],
  },
  {
    key: 'horror', label: 'Horror',
    adjectives: ['Hungry', 'Hollow', 'Pale', 'Rotting', 'Whispering', 'Drowned', 'Night', 'Crawling'],
    nouns: ['House', 'Ghost', 'Well', 'Doll', 'Asylum', 'Hunger', 'Attic', 'Bones', 'Choir', 'Fog'],
    people: ['a grieving widower', 'a paranormal podcaster', 'a night nurse', 'a group of teenagers', 'a new tenant', 'a village priest'],
    places: ['an abandoned asylum', 'a remote lake cabin', 'a haunted boarding school', 'a dying mining town', 'an old farmhouse', 'a cursed lighthouse'],
    themes: ['grief', 'dread', 'the uncanny', 'isolation', 'inherited evil', 'madness'],
    plots: ['hears voices in the walls', 'digs up a buried secret', 'survives a night in the woods', 'investigates a string of disappearances', 'breaks a blood pact', 'rents the wrong house'],
    tags: ['scary', 'supernatural', 'creepy', 'gothic', 'monsters'],
    subThemes: ['haunted house', 'folk horror', 'cosmic horror'],
  },
  {
    key: 'biography', label: 'Biography',
    adjectives: ['Unlikely', 'Remarkable', 'Restless', 'Quiet', 'Fearless', 'Private', 'Untold', 'Radical'],
    nouns: ['Life', 'Journey', 'Legacy', 'Voice', 'Ambition', 'Mind', 'Rebel', 'Pioneer', 'Story', 'Genius'],
    people: ['a self-taught mathematician', 'a jazz legend', 'a polar explorer', 'a civil rights lawyer', 'a pioneering surgeon', 'a reluctant prime minister'],
    places: ['Harlem', 'post-war Britain', 'the Antarctic', 'a Mumbai slum', 'Silicon Valley', 'Soviet Moscow'],
    themes: ['ambition', 'sacrifice', 'reinvention', 'justice', 'genius', 'family'],
    plots: ['rises from poverty', 'changes a profession', 'defies a government', 'builds an empire', 'breaks a world record', 'fights for recognition'],
    tags: ['memoir', 'true story', 'inspiring', 'biography', 'non-fiction'],
    subThemes: ['political lives', 'artists and musicians', 'scientists and inventors'],
  },
  {
    key: 'popular-science', label: 'Popular Science',
    adjectives: ['Hidden', 'Invisible', 'Elegant', 'Living', 'Curious', 'Tiny', 'Deep', 'Wild'],
    nouns: ['Universe', 'Brain', 'Gene', 'Ocean', 'Particle', 'Forest', 'Code', 'Climate', 'Origin', 'Pattern'],
    people: ['a neuroscientist', 'a particle physicist', 'a marine biologist', 'an evolutionary biologist', 'a climate scientist', 'a mathematician'],
    places: ['the deep sea', 'the human gut', 'the early universe', 'a rainforest canopy', 'a particle collider', 'the polar ice'],
    themes: ['evolution', 'consciousness', 'the cosmos', 'climate change', 'mathematics', 'the microbial world'],
    plots: ['explains how memory works', 'follows the origin of life', 'tours the quantum world', 'tracks a changing climate', 'decodes animal minds', 'shows why maths is everywhere'],
    tags: ['science', 'non-fiction', 'ideas', 'explainer', 'nature'],
    subThemes: ['physics and cosmos', 'brain and mind', 'life and evolution'],
  },
  {
    key: 'travel', label: 'Travel',
    adjectives: ['Slow', 'Long', 'Wandering', 'Open', 'Salt', 'High', 'Southern', 'Blue'],
    nouns: ['Road', 'Journey', 'Coast', 'River', 'Island', 'Trail', 'Map', 'Passage', 'Railway', 'Valley'],
    people: ['a solo cyclist', 'a retired teacher', 'two brothers in a camper van', 'a food writer', 'a sailor', 'a photographer'],
    places: ['the Silk Road', 'Patagonia', 'the Scottish Highlands', 'the Mekong', 'Japan by rail', 'the Camino de Santiago'],
    themes: ['wanderlust', 'solitude', 'local food', 'landscape', 'strangers\' kindness', 'home and away'],
    plots: ['walks across a continent', 'sails around an island', 'cycles from coast to coast', 'follows a river to the sea', 'rides every train in the country', 'eats with local families'],
    tags: ['travel writing', 'adventure', 'places', 'non-fiction', 'journeys'],
    subThemes: ['walking journeys', 'island life', 'rail travel'],
  },
  {
    key: 'cooking', label: 'Cooking',
    adjectives: ['Simple', 'Green', 'Slow', 'Sunday', 'Fresh', 'Honest', 'Weeknight', 'Spiced'],
    nouns: ['Kitchen', 'Table', 'Bread', 'Feast', 'Pantry', 'Supper', 'Garden', 'Spice', 'Bowl', 'Oven'],
    people: ['a home cook', 'a pastry chef', 'a market gardener', 'a street-food vendor', 'a grandmother', 'a restaurant critic'],
    places: ['a Lebanese kitchen', 'a Tuscan farmhouse', 'a Tokyo side street', 'an allotment', 'a Mexican market', 'a Cornish bakery'],
    themes: ['seasonal food', 'family recipes', 'baking', 'vegetables', 'spice', 'sharing a table'],
    plots: ['shares a hundred weeknight recipes', 'bakes through the seasons', 'cooks from the garden', 'teaches the basics', 'collects family recipes', 'explores a regional cuisine'],
    tags: ['recipes', 'food', 'baking', 'vegetarian', 'cookbook'],
    subThemes: ['baking', 'vegetarian cooking', 'world cuisine'],
  },
  {
    key: 'children', label: 'Children\'s',
    adjectives: ['Brave', 'Tiny', 'Magic', 'Sleepy', 'Giant', 'Busy', 'Cheeky', 'Wonderful'],
    nouns: ['Bear', 'Fox', 'Balloon', 'Pirate', 'Robot', 'Treehouse', 'Dragon', 'Moon', 'Submarine', 'Garden'],
    people: ['a little fox', 'a brave mouse', 'a girl with a kite', 'a lonely robot', 'twin explorers', 'a grumpy owl'],
    places: ['the bottom of the garden', 'a treehouse', 'the moon', 'a busy city', 'a pirate ship', 'the woods behind school'],
    themes: ['friendship', 'bedtime', 'bravery', 'kindness', 'imagination', 'family'],
    plots: ['finds a lost friend', 'builds a rocket', 'learns to share', 'goes on a bedtime adventure', 'rescues a baby dragon', 'solves a playground mystery'],
    tags: ['kids', 'picture book', 'bedtime', 'illustrated', 'family'],
    subThemes: ['picture books', 'early readers', 'middle grade adventure'],
  },
];

/** Words that describe how a book reads, for descriptions and reviews (title adjectives read oddly there). */
export const TONES: readonly string[] = ['gripping', 'tender', 'sweeping', 'sharp', 'absorbing', 'moving', 'witty', 'atmospheric', 'thoughtful', 'vivid'];

export const GENERAL_TAGS: readonly string[] = ['bestseller', 'award winner', 'debut', 'series', 'book club pick', 'short read', 'classic'];

export const FIRST_NAMES: readonly string[] = [
  'Mara', 'Tomas', 'Ines', 'Oliver', 'Priya', 'Kenji', 'Lena', 'Samuel', 'Amara', 'Felix', 'Nadia', 'Rowan',
  'Chloe', 'Mateo', 'Hana', 'Isaac', 'Zara', 'Elliot', 'Freya', 'Idris',
];

export const SURNAMES: readonly string[] = [
  'Ellison', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Castellano', 'Byrne', 'Haddad', 'Novak', 'Reyes',
  'Whitlock', 'Achebe', 'Sørensen', 'Kowalski', 'Marsh', 'Delacroix', 'Nakamura', 'Quinn', 'Osei', 'Varga',
];

/** Review sentences by sentiment; `{tone}` takes one of TONES, `{theme}` a theme of the book's genre. */
export const REVIEW_PHRASES = {
  positive: ['Loved every page.', 'Could not put it down.', 'A {tone} gem, beautifully written.', 'The best I have read this year.', 'Wonderful writing about {theme}.'],
  mixed: ['Good in places, but slow in the middle.', 'Some lovely moments about {theme}, but a weak ending.', 'Fine, though not quite my thing.'],
  negative: ['Not for me at all.', 'I gave up halfway.', 'Too much about {theme} for my taste.'],
} as const;
