import { Button, Tooltip, type ButtonProps } from "@fluentui/react-components";
import { Checkmark16Regular, Copy16Regular } from "@fluentui/react-icons";
import { useEffect, useRef, useState } from "react";

type Props = {
  /** The text put on the clipboard. */
  text: string;
  /** What is copied, for the accessible name: "Copy {what}". */
  what: string;
  /** Show a visible label next to the icon. */
  label?: string;
  "data-testid"?: string;
} & Pick<ButtonProps, "appearance" | "size">;

/** Copies `text` with navigator.clipboard and says so; never throws. */
export function CopyButton({ text, what, label, appearance = "subtle", size = "small", ...rest }: Props) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), 2500);
  };

  const tip =
    state === "copied" ? "Copied" : state === "failed" ? "Couldn't copy: select the text and copy it" : `Copy ${what}`;
  return (
    <Tooltip content={tip} relationship="description" withArrow>
      <Button
        {...rest}
        appearance={appearance}
        size={size}
        icon={state === "copied" ? <Checkmark16Regular /> : <Copy16Regular />}
        aria-label={label ? undefined : `Copy ${what}`}
        onClick={copy}
      >
        {label ? (state === "copied" ? "Copied" : label) : undefined}
      </Button>
    </Tooltip>
  );
}
