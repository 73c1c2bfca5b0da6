import { SettingOutlined } from '@ant-design/icons';
import type { FieldDefinition } from '@daicho/sdk';
import { Button, Checkbox, Flex, Popover } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n/index.ts';
import { labelOf } from '../labels.ts';

/** Which fields the list shows, as checkboxes in a popover. */
export function ColumnChooser({ fields, chosen, onChange }: { fields: FieldDefinition[]; chosen: string[]; onChange: (names: string[]) => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const content = (
    <Checkbox.Group
      value={chosen}
      onChange={(names) => onChange(fields.map((field) => field.name).filter((name) => names.includes(name)))}
      data-testid="column-chooser"
    >
      <Flex vertical gap={4} style={{ maxHeight: 320, overflowY: 'auto' }}>
        {fields.map((field) => (
          <Checkbox key={field.name} value={field.name}>
            {labelOf(field.labels, language, field.name)}
          </Checkbox>
        ))}
      </Flex>
    </Checkbox.Group>
  );
  return (
    <Popover trigger="click" content={content} title={t('list.columns')} placement="bottomRight">
      <Button icon={<SettingOutlined />} data-testid="columns-button">
        {t('list.columns')}
      </Button>
    </Popover>
  );
}
