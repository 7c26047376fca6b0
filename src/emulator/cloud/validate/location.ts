import { coordinate, requireObject, stringField, type Json } from './checks.js';

/** `location: { latitude, longitude (required; numbers or numeric strings), name?, address? }` */
export function validateLocation(message: Json): void {
  const location = requireObject(message, 'location', '');
  coordinate(location, 'latitude', 'location', 90);
  coordinate(location, 'longitude', 'location', 180);
  stringField(location, 'name', 'location', { max: 1000 });
  stringField(location, 'address', 'location', { max: 1000 });
}
