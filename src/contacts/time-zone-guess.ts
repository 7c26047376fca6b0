import { parseInternational } from './phone.js';
import { COUNTRY_TIME_ZONE } from './country-time-zones.js';

// Area codes whose zone differs from the country's main zone. A guess: mobile numbers move with
// their owners, so the API lets a caller override the time zone.
const BRAZIL_DDD: Record<string, string> = {
  '63': 'America/Araguaina', '65': 'America/Cuiaba', '66': 'America/Cuiaba', '67': 'America/Campo_Grande',
  '68': 'America/Rio_Branco', '69': 'America/Porto_Velho', '71': 'America/Bahia', '73': 'America/Bahia',
  '74': 'America/Bahia', '75': 'America/Bahia', '77': 'America/Bahia', '79': 'America/Maceio',
  '81': 'America/Recife', '82': 'America/Maceio', '83': 'America/Fortaleza', '84': 'America/Fortaleza',
  '85': 'America/Fortaleza', '86': 'America/Fortaleza', '87': 'America/Recife', '88': 'America/Fortaleza',
  '89': 'America/Fortaleza', '91': 'America/Belem', '92': 'America/Manaus', '93': 'America/Santarem',
  '94': 'America/Belem', '95': 'America/Boa_Vista', '96': 'America/Belem', '97': 'America/Manaus',
  '98': 'America/Fortaleza', '99': 'America/Fortaleza',
};

const zones = (zone: string, codes: string): Record<string, string> => Object.fromEntries(codes.split(/\s+/).filter(Boolean).map((c) => [c, zone]));

// North American area codes outside the Eastern zone (the default for US and the main zone for CA is Toronto).
const NANP_AREA: Record<string, string> = {
  ...zones('America/Los_Angeles', `209 213 279 310 323 341 350 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714
    747 760 805 818 820 831 840 858 909 916 925 949 951 206 253 360 425 509 564 458 503 541 971 702 725 775`),
  ...zones('America/Denver', '303 719 720 970 983 385 435 801 505 575 406 307 208 986 915'),
  ...zones('America/Phoenix', '480 520 602 623 928'),
  ...zones('America/Chicago', `210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 936 940 945
    956 972 979 217 224 309 312 331 447 464 618 630 708 773 779 815 847 872 218 320 507 612 651 763 952 262 274 414 534 608
    715 920 319 515 563 641 712 314 417 557 573 636 660 816 975 479 501 870 225 318 337 504 985 228 601 662 769 205 251 256
    334 659 938 405 539 572 580 918 316 620 785 913 308 402 531 605 701 615 629 731 901 931`),
  ...zones('America/Anchorage', '907'),
  ...zones('Pacific/Honolulu', '808'),
  ...zones('America/Vancouver', '236 250 604 672 778'),
  ...zones('America/Edmonton', '368 403 587 780 825'),
  ...zones('America/Regina', '306 474 639'),
  ...zones('America/Winnipeg', '204 431 584'),
  ...zones('America/Halifax', '782 902'),
  ...zones('America/Moncton', '428 506'),
  ...zones('America/St_Johns', '709 879'),
};

const MEXICO_AREA: Record<string, string> = {
  ...zones('America/Tijuana', '664 665 686 646 661 653'),
  ...zones('America/Hermosillo', '662 631 632 633 634 637 638 641 642 643 644 645 647 687'),
  ...zones('America/Cancun', '998 983 984 987'),
  ...zones('America/Mazatlan', '669 612 613 615 624 667 672 673 694 695 696 697 698'),
  ...zones('America/Chihuahua', '614 625 626 627 628 629 635 636 639 648 649'),
  ...zones('America/Ciudad_Juarez', '656'),
};

const AUSTRALIA_AREA: Record<string, string> = { '2': 'Australia/Sydney', '3': 'Australia/Melbourne', '7': 'Australia/Brisbane', '8': 'Australia/Adelaide' };

/**
 * A best guess of the IANA time zone of a phone number's owner: by area code where a table above
 * knows it, else the country's main zone. Undefined when the country is unknown.
 */
export function guessTimeZone(e164: string): string | undefined {
  const parsed = parseInternational(e164);
  // A number valid in no single country (test ranges, new ranges) still says its calling code's main country.
  const country = parsed?.country ?? parsed?.getPossibleCountries()[0];
  if (!parsed || !country) return undefined;
  const national = String(parsed.nationalNumber);
  const byArea =
    country === 'BR' ? BRAZIL_DDD[national.slice(0, 2)]
    : country === 'US' || country === 'CA' ? NANP_AREA[national.slice(0, 3)]
    : country === 'MX' ? MEXICO_AREA[national.slice(0, 3)]
    : country === 'AU' ? AUSTRALIA_AREA[national.slice(0, 1)]
    : undefined;
  return byArea ?? COUNTRY_TIME_ZONE[country];
}

/** True when the runtime knows this IANA time zone name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
