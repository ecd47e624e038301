import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** `POST /v1/authentications/{id}/user-code`. */
export class UserCodeDto {
  @ApiProperty({ example: '483920' })
  @IsString()
  @Matches(/^[\x21-\x7e]{1,128}$/, { message: 'userCode must be 1-128 printable ASCII characters' })
  userCode!: string;
}
