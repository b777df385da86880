// Prices are formatted by the shared helper, so mail and the web app show the same amounts.
export { centsToInput, formatMoney, minorUnitsPerMajor, parseMoneyInput } from "@cartwheel/contracts/money";
