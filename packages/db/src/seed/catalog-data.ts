// The demo catalog: enough realistic products (54) to exercise search, sorting and
// keyset pagination in the web app and the benchmarks. Prices are USD cents.

/** [name, priceCents, stock, description] */
type Entry = readonly [string, number, number, string];

const entries: readonly Entry[] = [
  // Kitchen
  ["Cast Iron Skillet 10in", 3499, 40, "Pre-seasoned cast iron that goes from stovetop to oven to campfire."],
  ["Chef's Knife 8in", 8900, 25, "High-carbon stainless blade, full tang, balanced for everyday prep."],
  ["Bamboo Cutting Board", 2450, 60, "Thick end-grain bamboo board that is gentle on knife edges."],
  ["Pour-Over Coffee Dripper", 2200, 75, "Ceramic cone dripper for a clean, bright cup; fits most mugs."],
  ["Burr Coffee Grinder", 12900, 18, "Conical steel burrs with 40 grind settings from espresso to French press."],
  ["Gooseneck Kettle 1L", 5400, 30, "Stainless kettle with a precise spout and built-in thermometer."],
  ["Enamel Dutch Oven 5.5qt", 9900, 12, "Enamelled cast iron for braises, stews and no-knead bread."],
  ["Glass Storage Set (10 pc)", 3900, 50, "Oven-safe borosilicate containers with leak-proof locking lids."],
  ["Silicone Spatula Trio", 1600, 120, "Heat-resistant to 260 °C, seamless heads that never trap food."],
  ["Digital Kitchen Scale", 2700, 45, "Weighs up to 5 kg in 1 g steps, with tare and a slim glass top."],
  // Home
  ["Linen Duvet Cover Queen", 16900, 14, "Stonewashed French linen that softens with every wash."],
  ["Merino Throw Blanket", 11900, 20, "Lightweight merino wool throw, warm without the bulk."],
  ["Ceramic Table Lamp", 8400, 16, "Hand-glazed base with a linen shade and a warm dimmable bulb."],
  ["Scented Soy Candle", 2800, 90, "Cedar and bergamot, 50-hour burn, cotton wick."],
  ["Wool Area Rug 5x8", 32900, 6, "Hand-tufted New Zealand wool with a low, easy-to-clean pile."],
  ["Walnut Wall Shelf", 6900, 22, "Solid walnut floating shelf with hidden steel brackets."],
  ["Cotton Bath Towel Set", 5900, 35, "Set of four 600 gsm long-staple cotton towels."],
  ["Indoor Plant Pot 8in", 3200, 48, "Matte stoneware planter with a drainage hole and saucer."],
  ["Blackout Curtains (pair)", 7400, 26, "Thermal-lined panels that block light and street noise."],
  ["Wall Clock Oak", 4500, 30, "Silent sweep movement in a solid oak frame."],
  // Office
  ["Ergonomic Office Chair", 34900, 9, "Adjustable lumbar support, breathable mesh, 4D armrests."],
  ["Standing Desk Frame", 42900, 7, "Dual-motor frame with memory presets, 60 to 125 cm height."],
  ["Mechanical Keyboard", 11900, 28, "Hot-swappable switches, PBT keycaps, USB-C and Bluetooth."],
  ["Wireless Mouse", 4900, 55, "Quiet clicks, 70-day battery, works on glass."],
  ["Monitor Arm", 8900, 19, "Gas-spring arm for monitors up to 32 inches and 9 kg."],
  ["Desk Mat Felt", 2900, 70, "Wool felt desk mat, 90 x 40 cm, with a cork underside."],
  ["Dot Grid Notebook A5", 1800, 150, "160 numbered pages of 100 gsm fountain-pen friendly paper."],
  ["Fountain Pen Steel Nib", 3600, 40, "Smooth fine nib, converter included, piston-filling option."],
  ["Laptop Stand Aluminium", 5900, 33, "Raises the screen to eye level and folds flat for travel."],
  ["Cable Management Kit", 2400, 80, "Sleeves, clips and ties to tame the cables under your desk."],
  // Audio and electronics
  ["Noise-Cancelling Headphones", 29900, 15, "Adaptive noise cancelling with 30-hour battery life."],
  ["True Wireless Earbuds", 12900, 38, "Water-resistant earbuds with a pocketable charging case."],
  ["Bookshelf Speakers (pair)", 24900, 10, "Powered speakers with Bluetooth, optical and phono inputs."],
  ["Portable Bluetooth Speaker", 7900, 42, "Waterproof, floats, and plays for 20 hours on a charge."],
  ["USB-C Charger 65W", 4400, 85, "Compact GaN charger for a laptop, tablet and phone at once."],
  ["Power Bank 20000mAh", 5200, 47, "Charges a phone four times; 45 W USB-C in and out."],
  ["Smart LED Bulb 4-pack", 3900, 64, "Tunable white and colour, works without a hub."],
  ["E-Reader Glow", 15900, 21, "Glare-free 7-inch screen with warm light and weeks of battery."],
  // Outdoor
  ["Ultralight Tent 2P", 37900, 8, "Freestanding two-person tent at 1.4 kg packed."],
  ["Down Sleeping Bag", 28900, 11, "800-fill down, comfortable to -5 °C, packs to a water bottle."],
  ["Trekking Poles (pair)", 8900, 24, "Carbon shafts with cork grips and quick flick-locks."],
  ["Insulated Water Bottle 1L", 3500, 110, "Keeps drinks cold for 24 hours or hot for 12."],
  ["Headlamp 400 Lumen", 3900, 58, "Rechargeable headlamp with red night-vision mode."],
  ["Daypack 24L", 9400, 27, "Weather-resistant daypack with a padded laptop sleeve."],
  ["Camp Stove", 5900, 19, "Compact canister stove that boils a litre in three minutes."],
  ["Hammock with Straps", 6400, 23, "Parachute-nylon hammock with tree-friendly straps."],
  // Apparel
  ["Merino Wool T-Shirt", 6500, 52, "Soft, odour-resistant merino tee for travel and trails."],
  ["Rain Shell Jacket", 17900, 17, "Waterproof-breathable three-layer shell with pit zips."],
  ["Everyday Sneakers", 11000, 36, "Knit upper, cushioned sole, machine washable."],
  ["Wool Hiking Socks (3 pack)", 3000, 95, "Cushioned merino blend socks that stay dry on long days."],
  ["Canvas Tote Bag", 2500, 100, "Heavy waxed canvas tote with leather handles and an inner pocket."],
  ["Leather Card Wallet", 4500, 44, "Slim full-grain leather wallet that holds up to eight cards."],
  ["Knit Beanie", 2200, 88, "Ribbed merino beanie in a relaxed, everyday fit."],
  ["Sunglasses Polarised", 8900, 29, "Polarised lenses with full UV400 protection in an acetate frame."],
];

export interface CatalogItem {
  slug: string;
  name: string;
  description: string;
  priceCents: number;
  stock: number;
}

/** "Chef's Knife 8in" becomes "chefs-knife-8in": stable, URL-safe, unique per name. */
const slugify = (name: string): string =>
  name
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export const demoCatalog: readonly CatalogItem[] = entries.map(([name, priceCents, stock, description]) => ({
  slug: slugify(name),
  name,
  description,
  priceCents,
  stock,
}));
