/**
 * The template content as Meta's create endpoint takes it (`POST /{waba_id}/message_templates`), which
 * is also the file format of `parley templates lint` (one JSON object per file). Fields keep Meta's
 * snake_case names so a body can move between Parley, files in git and the Graph API unchanged.
 *
 * Input arrives from the API and from files, so these types are what a *well-formed* template looks
 * like; lint (`templates/lint/rules/component-structure.ts`) checks a body against them before anything trusts it.
 */
export const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type Category = (typeof CATEGORIES)[number];

export const PARAMETER_FORMATS = ['POSITIONAL', 'NAMED'] as const;
export type ParameterFormat = (typeof PARAMETER_FORMATS)[number];

export const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;
export type HeaderFormat = (typeof HEADER_FORMATS)[number];

export const BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'OTP'] as const;
export type ButtonType = (typeof BUTTON_TYPES)[number];

/**
 * Template parts Meta documents and accepts that Parley does not model (it cannot fill their send-time
 * parameters): catalog, multi- and single-product, Flow and voice-call buttons; GIF headers (Marketing
 * Messages API); limited-time-offer, carousel and call-permission components. Lint warns on them
 * instead of refusing a template Meta would take.
 */
export const UNMODELLED_BUTTON_TYPES = ['CATALOG', 'MPM', 'SPM', 'FLOW', 'VOICE_CALL'] as const;
export const UNMODELLED_HEADER_FORMATS = ['GIF'] as const;
export const UNMODELLED_COMPONENT_TYPES = ['LIMITED_TIME_OFFER', 'CAROUSEL', 'CALL_PERMISSION_REQUEST'] as const;

export interface NamedExample {
  param_name: string;
  example: string;
}

export interface HeaderComponent {
  type: 'HEADER';
  format: HeaderFormat;
  text?: string;
  example?: { header_text?: string[]; header_text_named_params?: NamedExample[]; header_handle?: string[] };
}

export interface BodyComponent {
  type: 'BODY';
  /** Absent in authentication templates, whose body text is Meta's preset. */
  text?: string;
  add_security_recommendation?: boolean;
  example?: { body_text?: string[][]; body_text_named_params?: NamedExample[] };
}

export interface FooterComponent {
  type: 'FOOTER';
  text?: string;
  /** Authentication templates: "This code expires in N minutes." */
  code_expiration_minutes?: number;
}

export type TemplateButton =
  | { type: 'QUICK_REPLY'; text: string }
  | { type: 'URL'; text: string; url: string; example?: string[] }
  | { type: 'PHONE_NUMBER'; text: string; phone_number: string }
  | { type: 'COPY_CODE'; example?: string }
  | {
      type: 'OTP';
      otp_type: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP';
      text?: string;
      autofill_text?: string;
      /** The Android app of a ONE_TAP or ZERO_TAP button (Meta's form since Graph v21.0). */
      supported_apps?: Array<{ package_name: string; signature_hash: string }>;
      zero_tap_terms_accepted?: boolean;
      /** Older form of `supported_apps`, still read. */
      package_name?: string;
      signature_hash?: string;
    };

export interface ButtonsComponent {
  type: 'BUTTONS';
  buttons: TemplateButton[];
}

export type TemplateComponent = HeaderComponent | BodyComponent | FooterComponent | ButtonsComponent;

/** Meta's create body: what Parley stores per version and submits. */
export interface TemplateBody {
  name: string;
  language: string;
  category: Category;
  parameter_format?: ParameterFormat;
  allow_category_change?: boolean;
  message_send_ttl_seconds?: number;
  components: TemplateComponent[];
}

export const findComponent = <T extends TemplateComponent['type']>(components: readonly TemplateComponent[], type: T) =>
  components.find((c) => c?.type === type) as Extract<TemplateComponent, { type: T }> | undefined;

export const buttonsOf = (components: readonly TemplateComponent[]): TemplateButton[] => {
  const buttons = findComponent(components, 'BUTTONS')?.buttons;
  return Array.isArray(buttons) ? buttons : [];
};

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
