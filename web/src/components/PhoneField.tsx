import { For, Show } from 'solid-js';
import { callingCode, PHONE_COUNTRIES, type CountryCode } from '../../../shared/phone';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const countryName = (country: CountryCode) => regionNames.of(country) ?? country;

/** Every country with phone numbers, by name: "United Kingdom (+44)". */
const COUNTRY_OPTIONS = PHONE_COUNTRIES.map((code) => ({
  code,
  label: `${countryName(code)} (${callingCode(code)})`,
})).sort((a, b) => a.label.localeCompare(b.label, 'en'));

interface PhoneFieldProps {
  name: string;
  label: string;
  value: string;
  country: CountryCode;
  onInput: (value: string) => void;
  onCountry: (country: CountryCode) => void;
  error?: string;
}

/**
 * A mobile number as people write it: national format with the country chosen beside it (which
 * starts from the browser's language region), or international format starting with +.
 */
export function PhoneField(props: PhoneFieldProps) {
  const id = () => `field-${props.name}`;
  const describedBy = () => [`${id()}-hint`, props.error ? `${id()}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field phone-field" classList={{ invalid: !!props.error }}>
      <label for={id()}>{props.label}</label>
      <p class="hint" id={`${id()}-hint`}>
        As you would dial it in {countryName(props.country)}, or starting with + and the country code
      </p>
      <div class="phone-row">
        <select
          id={`${id()}-country`}
          name={`${props.name}Country`}
          aria-label="Country of the number"
          value={props.country}
          onChange={(e) => props.onCountry(e.currentTarget.value as CountryCode)}
        >
          <For each={COUNTRY_OPTIONS}>
            {(option) => (
              <option value={option.code} selected={option.code === props.country}>
                {option.label}
              </option>
            )}
          </For>
        </select>
        <input
          id={id()}
          name={props.name}
          type="tel"
          inputmode="tel"
          autocomplete="tel"
          value={props.value}
          onInput={(e) => props.onInput(e.currentTarget.value)}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy()}
        />
      </div>
      <Show when={props.error}>
        <p class="error" id={`${id()}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}
