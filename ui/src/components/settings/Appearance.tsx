import { Card, Radio, RadioGroup, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { setAppearance, useAppearance, type Appearance } from "../../lib/theme";

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
});

const CHOICES: { value: Appearance; label: string }[] = [
  { value: "system", label: "Same as the system" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
  { value: "highContrast", label: "High contrast" },
];

/** Settings → Appearance: the theme, for this computer only. Applies at once. */
export function AppearanceCard() {
  const s = useStyles();
  const appearance = useAppearance();
  return (
    <Card className={s.card} aria-labelledby="appearance-title">
      <Subtitle2 as="h2" id="appearance-title" className={s.heading}>
        Appearance
      </Subtitle2>
      <Text className={s.muted} id="appearance-caption">
        Kept on this computer. High contrast also follows Windows' contrast themes when you choose the system's look.
      </Text>
      <RadioGroup
        value={appearance}
        aria-labelledby="appearance-title"
        aria-describedby="appearance-caption"
        data-testid="settings-appearance"
        onChange={(_, d) => setAppearance(d.value as Appearance)}
      >
        {CHOICES.map((c) => (
          <Radio key={c.value} value={c.value} label={c.label} data-testid={`appearance-${c.value}`} />
        ))}
      </RadioGroup>
    </Card>
  );
}
